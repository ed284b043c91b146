import { type ColumnDefinition, parseColumnDefinition } from './ddl-column.js';
import type { TableName, TokenCursor } from './ddl-cursor.js';
import { parseTableItem, type TableItem } from './ddl-table-item.js';

/** Where ADD / MODIFY / CHANGE put the column: FIRST, AFTER another, or (null) where it is / last. */
export type Placement = 'first' | { readonly after: string } | null;

/** The ALTER TABLE operations that change a table's shape; every other clause is skipped. */
export type AlterOperation =
  /** With IF NOT EXISTS, an ADD of a column the table has does nothing (MariaDB's behaviour). */
  | {
      readonly op: 'add-column';
      readonly column: ColumnDefinition;
      readonly placement: Placement;
      readonly ifNotExists: boolean;
    }
  | { readonly op: 'drop-column'; readonly name: string }
  /** MODIFY is a CHANGE whose `from` is the column's own name. */
  | {
      readonly op: 'change-column';
      readonly from: string;
      readonly column: ColumnDefinition;
      readonly placement: Placement;
    }
  | { readonly op: 'rename-column'; readonly from: string; readonly to: string }
  | { readonly op: 'add-primary-key'; readonly columns: readonly string[] }
  | { readonly op: 'drop-primary-key' }
  | { readonly op: 'rename-table'; readonly to: TableName };

/** DROP targets that are not columns (reserved words, so a column of that name is quoted). */
const DROPPED_OTHERS = new Set(['INDEX', 'KEY', 'FOREIGN', 'CONSTRAINT', 'CHECK', 'PARTITION']);

/** MariaDB's `PERIOD FOR ...` and `SYSTEM VERSIONING`, and partitions: not columns nor keys. */
function isPeriodOrVersioning(cursor: TokenCursor): boolean {
  return (
    cursor.isWord('PERIOD', 'FOR') || cursor.isWord('SYSTEM', 'VERSIONING') || cursor.isWord('PARTITION')
  );
}

/** Reads the comma-separated operations after `ALTER TABLE name`. */
export function parseAlterOperations(cursor: TokenCursor): AlterOperation[] {
  const operations: AlterOperation[] = [];
  while (!cursor.atEnd()) {
    operations.push(...operation(cursor));
    cursor.skipItem();
    if (cursor.isSymbol(')')) cursor.fail('unbalanced ")"');
    cursor.acceptSymbol(',');
  }
  return operations;
}

function operation(cursor: TokenCursor): AlterOperation[] {
  if (cursor.acceptWord('ADD')) return add(cursor);
  if (cursor.acceptWord('DROP')) return drop(cursor);
  if (cursor.acceptWord('MODIFY')) {
    const column = columnAfterKeyword(cursor);
    return [{ op: 'change-column', from: column.name, column, placement: placement(cursor) }];
  }
  if (cursor.acceptWord('CHANGE')) {
    cursor.acceptWord('COLUMN');
    cursor.acceptWord('IF', 'EXISTS');
    const from = cursor.identifier();
    return [
      { op: 'change-column', from, column: parseColumnDefinition(cursor), placement: placement(cursor) },
    ];
  }
  if (cursor.acceptWord('RENAME')) return rename(cursor);
  return [];
}

/** `[COLUMN] [IF EXISTS] definition` */
function columnAfterKeyword(cursor: TokenCursor): ColumnDefinition {
  cursor.acceptWord('COLUMN');
  cursor.acceptWord('IF', 'EXISTS');
  return parseColumnDefinition(cursor);
}

function add(cursor: TokenCursor): AlterOperation[] {
  if (isPeriodOrVersioning(cursor)) return [];
  const column = cursor.acceptWord('COLUMN');
  const ifNotExists = cursor.acceptWord('IF', 'NOT', 'EXISTS');
  if (cursor.acceptSymbol('(')) {
    const operations: AlterOperation[] = [];
    do {
      operations.push(...itemOperations(parseTableItem(cursor), null, ifNotExists));
    } while (cursor.acceptSymbol(','));
    cursor.expectSymbol(')');
    return operations;
  }
  const item: TableItem = column
    ? { kind: 'column', column: parseColumnDefinition(cursor) }
    : parseTableItem(cursor);
  return itemOperations(item, item.kind === 'column' ? placement(cursor) : null, ifNotExists);
}

function itemOperations(item: TableItem, at: Placement, ifNotExists: boolean): AlterOperation[] {
  if (item.kind === 'column') return [{ op: 'add-column', column: item.column, placement: at, ifNotExists }];
  if (item.kind === 'primary-key') return [{ op: 'add-primary-key', columns: item.columns }];
  return [];
}

function drop(cursor: TokenCursor): AlterOperation[] {
  if (cursor.acceptWord('PRIMARY', 'KEY')) return [{ op: 'drop-primary-key' }];
  if (cursor.isAnyWord(DROPPED_OTHERS) || isPeriodOrVersioning(cursor)) return [];
  cursor.acceptWord('COLUMN');
  cursor.acceptWord('IF', 'EXISTS');
  return [{ op: 'drop-column', name: cursor.identifier() }];
}

function rename(cursor: TokenCursor): AlterOperation[] {
  if (cursor.acceptWord('COLUMN')) {
    cursor.acceptWord('IF', 'EXISTS');
    const from = cursor.identifier();
    cursor.expectWord('TO');
    return [{ op: 'rename-column', from, to: cursor.identifier() }];
  }
  if (cursor.isWord('INDEX') || cursor.isWord('KEY')) return [];
  if (!cursor.acceptWord('TO') && !cursor.acceptWord('AS')) cursor.acceptSymbol('=');
  return [{ op: 'rename-table', to: cursor.tableName() }];
}

function placement(cursor: TokenCursor): Placement {
  if (cursor.acceptWord('FIRST')) return 'first';
  if (cursor.acceptWord('AFTER')) return { after: cursor.identifier() };
  return null;
}
