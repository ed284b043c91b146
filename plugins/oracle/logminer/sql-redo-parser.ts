import { RedoCursor } from './redo-cursor.js';
import { DictionaryMismatchError } from './redo-errors.js';
import type { RedoLiteral, RedoStatement } from './redo-literal.js';
import { readRedoValue } from './redo-value-reader.js';

/** How LogMiner names an object it has no dictionary entry for. */
const UNKNOWN_OBJECT = /^OBJ# \d+$/;

/**
 * Parses one complete SQL_REDO DML statement (continuation rows already joined) as LogMiner writes
 * it with `NO_ROWID_IN_STMT` or without:
 * `insert into "S"."T"("A","B") values ('x',NULL);`,
 * `update "S"."T" [alias] set "A" = 'y' where "A" = 'x' and "B" IS NULL [and ROWID = '…'];`,
 * `delete from "S"."T" [alias] where …;` — the trailing `;` and the WHERE clause optional.
 * Values stay exact literals (see `RedoLiteral`). Throws `DictionaryMismatchError` for
 * `"UNKNOWN"."OBJ# n"` and `RedoParseError` (with the position) for anything else it cannot read.
 */
export function parseSqlRedo(sqlRedo: string): RedoStatement {
  const cursor: RedoCursor = new RedoCursor(sqlRedo);
  let statement: RedoStatement;
  if (cursor.acceptWords('insert', 'into')) statement = readInsert(cursor);
  else if (cursor.acceptWords('update')) statement = readUpdate(cursor);
  else if (cursor.acceptWords('delete', 'from')) statement = readDelete(cursor);
  else cursor.fail('expected insert, update or delete');
  cursor.accept(';');
  if (!cursor.atEnd()) cursor.fail('unexpected text after the statement');
  return statement;
}

function readInsert(cursor: RedoCursor): RedoStatement {
  const { schema, table } = readTableName(cursor);
  const columns: string[] = [];
  cursor.expect('(');
  do columns.push(cursor.readQuotedIdentifier());
  while (cursor.accept(','));
  cursor.expect(')');
  cursor.expectWords('values');
  cursor.expect('(');
  const after = emptyImage();
  for (const [index, column] of columns.entries()) {
    if (index > 0) cursor.expect(',');
    after[column] = readRedoValue(cursor);
  }
  cursor.expect(')');
  return { op: 'insert', schema, table, after };
}

function readUpdate(cursor: RedoCursor): RedoStatement {
  const { schema, table } = readTableName(cursor);
  const alias = readAlias(cursor);
  cursor.expectWords('set');
  const set = emptyImage();
  do {
    const column = readColumn(cursor, alias);
    cursor.expect('=');
    set[column] = readRedoValue(cursor);
  } while (cursor.accept(','));
  const before = readWhere(cursor, alias);
  const after = emptyImage();
  for (const [column, value] of Object.entries(before))
    if (value.form !== 'unsupported') after[column] = value;
  Object.assign(after, set);
  return { op: 'update', schema, table, before, after };
}

function readDelete(cursor: RedoCursor): RedoStatement {
  const { schema, table } = readTableName(cursor);
  const alias = readAlias(cursor);
  return { op: 'delete', schema, table, before: readWhere(cursor, alias) };
}

/** `"S"."T"`; the dictionary-mismatch form is refused here. */
function readTableName(cursor: RedoCursor): { schema: string; table: string } {
  const schema = cursor.readQuotedIdentifier();
  cursor.expect('.');
  const table = cursor.readQuotedIdentifier();
  if (schema === 'UNKNOWN' && UNKNOWN_OBJECT.test(table))
    throw new DictionaryMismatchError(`"${schema}"."${table}"`);
  return { schema, table };
}

/** An optional unquoted table alias before `set` / `where` / the end. */
function readAlias(cursor: RedoCursor): string | null {
  if (cursor.sees('set') || cursor.sees('where')) return null;
  return cursor.readWord();
}

/** `"C"` or `alias."C"`. */
function readColumn(cursor: RedoCursor, alias: string | null): string {
  if (alias !== null && cursor.sees(alias)) {
    cursor.acceptWords(alias);
    cursor.expect('.');
  }
  return cursor.readQuotedIdentifier();
}

/** `where "A" = v and "B" IS NULL and ROWID = '…'` → old values (ROWID left out); none → {}. */
function readWhere(cursor: RedoCursor, alias: string | null): Record<string, RedoLiteral> {
  const before = emptyImage();
  if (!cursor.acceptWords('where')) return before;
  do {
    if (cursor.acceptWords('ROWID')) {
      cursor.expect('=');
      cursor.readString();
      continue;
    }
    const column = readColumn(cursor, alias);
    if (cursor.acceptWords('IS', 'NULL')) before[column] = { form: 'null' };
    else {
      cursor.expect('=');
      before[column] = readRedoValue(cursor);
    }
  } while (cursor.acceptWords('and'));
  return before;
}

/** A null-prototype record, so a column named `__proto__` is an ordinary key. */
function emptyImage(): Record<string, RedoLiteral> {
  return Object.create(null) as Record<string, RedoLiteral>;
}
