import { type AlterOperation, parseAlterOperations } from './ddl-alter.js';
import { acceptCharsetKeyword, type ColumnDefinition } from './ddl-column.js';
import { type TableName, TokenCursor } from './ddl-cursor.js';
import { parseTableItem } from './ddl-table-item.js';

export type { AlterOperation, Placement } from './ddl-alter.js';
export type { ColumnDefinition } from './ddl-column.js';
export { DdlParseError, type TableName } from './ddl-cursor.js';

/**
 * A DDL statement that changes which tables exist or their shape, as MySQL and MariaDB log it in
 * the binary log (QUERY events):
 * - `create`: CREATE [OR REPLACE] TABLE [IF NOT EXISTS] with its column list (for CREATE ... SELECT,
 *   only the columns the statement lists); `charset` is the table's DEFAULT CHARSET when given;
 * - `create-like`: CREATE TABLE x LIKE y;
 * - `alter`: ALTER TABLE with the operations that change the shape (indexes, engine and other
 *   clauses are left out; an ALTER that only has those has no operations);
 * - `drop`: DROP TABLE a, b; `drop-database`: DROP DATABASE / SCHEMA;
 * - `truncate`: TRUNCATE [TABLE] x;
 * - `rename`: RENAME TABLE a TO b, c TO d (to be applied in order).
 */
export type DdlStatement =
  | {
      readonly kind: 'create';
      readonly table: TableName;
      readonly ifNotExists: boolean;
      readonly orReplace: boolean;
      readonly columns: readonly ColumnDefinition[];
      readonly primaryKey: readonly string[];
      readonly charset: string | null;
    }
  | {
      readonly kind: 'create-like';
      readonly table: TableName;
      readonly ifNotExists: boolean;
      readonly orReplace: boolean;
      readonly like: TableName;
    }
  | { readonly kind: 'alter'; readonly table: TableName; readonly operations: readonly AlterOperation[] }
  | { readonly kind: 'drop'; readonly tables: readonly TableName[] }
  | { readonly kind: 'drop-database'; readonly database: string }
  | { readonly kind: 'truncate'; readonly table: TableName }
  | {
      readonly kind: 'rename';
      readonly renames: readonly { readonly from: TableName; readonly to: TableName }[];
    };

/**
 * Parses a statement from the binary log. Anything that is not one of the statements above (DML,
 * transaction control, other DDL, temporary tables) gives null. Throws DdlParseError, naming the
 * statement, only when a statement starts like one of them but cannot be understood.
 */
export function parseDdl(statement: string): DdlStatement | null {
  const cursor = new TokenCursor(statement);
  if (cursor.acceptWord('CREATE')) return create(cursor);
  if (cursor.acceptWord('ALTER')) return alter(cursor);
  if (cursor.acceptWord('DROP')) return drop(cursor);
  if (cursor.acceptWord('TRUNCATE')) {
    cursor.acceptWord('TABLE');
    return cursor.atEnd() ? null : { kind: 'truncate', table: cursor.tableName() };
  }
  if (cursor.acceptWord('RENAME')) return rename(cursor);
  return null;
}

function create(cursor: TokenCursor): DdlStatement | null {
  const orReplace = cursor.acceptWord('OR', 'REPLACE');
  if (!cursor.acceptWord('TABLE')) return null;
  const ifNotExists = cursor.acceptWord('IF', 'NOT', 'EXISTS');
  const table = cursor.tableName();
  const header = { table, ifNotExists, orReplace };
  if (cursor.acceptWord('LIKE')) return { kind: 'create-like', ...header, like: cursor.tableName() };
  if (cursor.isSymbol('(') && cursor.wordAt(1) === 'LIKE') {
    cursor.expectSymbol('(');
    cursor.expectWord('LIKE');
    return { kind: 'create-like', ...header, like: cursor.tableName() };
  }
  const columns: ColumnDefinition[] = [];
  const keys: (readonly string[])[] = [];
  if (cursor.isSymbol('(') && cursor.wordAt(1) !== 'SELECT') {
    cursor.expectSymbol('(');
    do {
      const item = parseTableItem(cursor);
      if (item.kind === 'column') columns.push(item.column);
      if (item.kind === 'primary-key') keys.push(item.columns);
    } while (cursor.acceptSymbol(','));
    cursor.expectSymbol(')');
  }
  const inline = columns.filter((column) => column.primaryKey).map((column) => column.name);
  return { kind: 'create', ...header, columns, primaryKey: keys[0] ?? inline, charset: tableCharset(cursor) };
}

/** The DEFAULT CHARSET (or the character set of the COLLATE) among the table options, if any. */
function tableCharset(cursor: TokenCursor): string | null {
  let charset: string | null = null;
  while (!cursor.atEnd() && !cursor.isWord('SELECT') && !cursor.isWord('AS')) {
    if (acceptCharsetKeyword(cursor)) {
      cursor.acceptSymbol('=');
      charset = cursor.next().value.toLowerCase();
    } else if (cursor.acceptWord('COLLATE')) {
      cursor.acceptSymbol('=');
      charset ??= cursor.next().value.toLowerCase().split('_')[0] ?? null;
    } else cursor.skipOne();
  }
  cursor.skipRest();
  return charset;
}

function alter(cursor: TokenCursor): DdlStatement | null {
  if (!cursor.acceptWord('ONLINE')) cursor.acceptWord('OFFLINE');
  cursor.acceptWord('IGNORE');
  if (!cursor.acceptWord('TABLE')) return null;
  cursor.acceptWord('IF', 'EXISTS');
  const table = cursor.tableName();
  skipWait(cursor);
  return { kind: 'alter', table, operations: parseAlterOperations(cursor) };
}

function drop(cursor: TokenCursor): DdlStatement | null {
  if (cursor.acceptWord('DATABASE') || cursor.acceptWord('SCHEMA')) {
    cursor.acceptWord('IF', 'EXISTS');
    return { kind: 'drop-database', database: cursor.identifier() };
  }
  if (!cursor.acceptWord('TABLE') && !cursor.acceptWord('TABLES')) return null;
  cursor.acceptWord('IF', 'EXISTS');
  const tables: TableName[] = [];
  do {
    tables.push(cursor.tableName());
  } while (cursor.acceptSymbol(','));
  return { kind: 'drop', tables };
}

function rename(cursor: TokenCursor): DdlStatement | null {
  if (!cursor.acceptWord('TABLE') && !cursor.acceptWord('TABLES')) return null;
  cursor.acceptWord('IF', 'EXISTS');
  const renames: { from: TableName; to: TableName }[] = [];
  do {
    const from = cursor.tableName();
    skipWait(cursor);
    cursor.expectWord('TO');
    renames.push({ from, to: cursor.tableName() });
  } while (cursor.acceptSymbol(','));
  return { kind: 'rename', renames };
}

/** MariaDB's `WAIT n` / `NOWAIT` lock timeout. */
function skipWait(cursor: TokenCursor): void {
  if (cursor.acceptWord('WAIT')) cursor.next();
  else cursor.acceptWord('NOWAIT');
}
