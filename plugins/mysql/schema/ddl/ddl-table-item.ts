import { type ColumnDefinition, parseColumnDefinition } from './ddl-column.js';
import type { TokenCursor } from './ddl-cursor.js';

/** One entry of a CREATE TABLE list (or of ALTER TABLE ... ADD): what the tracker needs from it. */
export type TableItem =
  | { readonly kind: 'column'; readonly column: ColumnDefinition }
  | { readonly kind: 'primary-key'; readonly columns: readonly string[] }
  | { readonly kind: 'other' };

/** Words that start an index, key or constraint entry rather than a column. */
const NOT_A_COLUMN = new Set(['INDEX', 'KEY', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'FOREIGN', 'CHECK']);
const CONSTRAINT_KINDS = new Set(['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK']);

/**
 * Reads a column definition, a primary key (`PRIMARY KEY (...)`, `CONSTRAINT [name] PRIMARY KEY
 * (...)`), or skips any other entry (indexes, foreign keys, checks, periods) up to the next `,`/`)`.
 */
export function parseTableItem(cursor: TokenCursor): TableItem {
  if (cursor.acceptWord('CONSTRAINT')) {
    if (!cursor.isAnyWord(CONSTRAINT_KINDS)) cursor.identifier();
    return cursor.acceptWord('PRIMARY', 'KEY') ? primaryKey(cursor) : other(cursor);
  }
  if (cursor.acceptWord('PRIMARY', 'KEY')) return primaryKey(cursor);
  if (cursor.isAnyWord(NOT_A_COLUMN) || cursor.isWord('PERIOD', 'FOR')) return other(cursor);
  return { kind: 'column', column: parseColumnDefinition(cursor) };
}

/** After PRIMARY KEY: `[USING x] (col [(len)] [ASC|DESC], ...) [options]`. */
function primaryKey(cursor: TokenCursor): TableItem {
  while (!cursor.isSymbol('(')) {
    if (cursor.atEnd() || cursor.isSymbol(',') || cursor.isSymbol(')'))
      cursor.fail('expected the key columns');
    cursor.skipOne();
  }
  cursor.expectSymbol('(');
  const columns: string[] = [];
  do {
    if (cursor.isSymbol('(')) cursor.fail('expressions cannot be primary key parts');
    columns.push(cursor.identifier());
    cursor.skipItem();
  } while (cursor.acceptSymbol(','));
  cursor.expectSymbol(')');
  cursor.skipItem();
  return { kind: 'primary-key', columns };
}

function other(cursor: TokenCursor): TableItem {
  cursor.skipItem();
  return { kind: 'other' };
}
