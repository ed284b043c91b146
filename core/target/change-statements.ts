import { toPgText } from '../plugin/pg-text.js';
import type { Row } from '../plugin/source-event.js';
import { qualify, quoteIdent } from './quote.js';
import type { TargetColumn, TargetTable } from './target-table.js';
import { valueSql } from './transform-expression.js';

/** A parameterised statement; every value travels as text and is cast to its column's type. */
export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

const SERIAL_TYPES: Record<string, string> = {
  smallserial: 'smallint',
  serial: 'integer',
  bigserial: 'bigint',
};

/** The column's type as values are cast to it (serial types exist only in DDL). */
export const castType = (column: TargetColumn) => SERIAL_TYPES[column.type.toLowerCase()] ?? column.type;

/** Types whose name without a size means size 1, and their unbounded forms. */
const UNSIZED: Record<string, string> = { bit: 'varbit', char: 'bpchar', character: 'bpchar' };

/**
 * The type a value is cast to before it is assigned: the column's type without its size, so the
 * column's own size applies as an assignment, which refuses a value too long for `varchar(n)`,
 * `char(n)` or `bit(n)` where an explicit cast would cut it silently.
 */
export function assignType(column: TargetColumn): string {
  const base = castType(column).replace(/\s*\([^)]*\)/g, '');
  const array = /(\[\])+$/.exec(base)?.[0] ?? '';
  const name = base.slice(0, base.length - array.length);
  return (UNSIZED[name.toLowerCase()] ?? name) + array;
}

/** SQL for a text value landing in `column`: cast, and transformed when a rule says so. */
export const assignedValue = (column: TargetColumn, input: string) =>
  valueSql(input, assignType(column), column.transform);

/** SQL for a value as the column stores it, to compare with a stored value. */
const stored = (column: TargetColumn, input: string) => valueSql(input, castType(column), column.transform);

const columnsOf = (table: TargetTable, names: readonly string[]) =>
  names.map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    if (!column) throw new Error(`column ${name} is not part of ${table.schema}.${table.name}`);
    return column;
  });

export const keyColumns = (table: TargetTable) => columnsOf(table, table.primaryKey);

/** `unnest($1::text[], $2::text[], ...) AS u(v0, v1, ...)` over column-wise value arrays. */
function unnest(arrays: unknown[][], firstIsOrdinal: boolean): { sql: string; values: unknown[] } {
  const params = arrays.map((_, i) => `$${i + 1}::${firstIsOrdinal && i === 0 ? 'int' : 'text'}[]`);
  const aliases = arrays.map((_, i) => (firstIsOrdinal && i === 0 ? 'ord' : `v${i}`));
  return { sql: `unnest(${params.join(', ')}) AS u(${aliases.join(', ')})`, values: arrays };
}

const texts = (rows: readonly Row[], column: TargetColumn) => rows.map((row) => toPgText(row[column.source]));

/** Multi-row INSERT; with a primary key, an existing row is overwritten (upsert). */
export function insertRows(table: TargetTable, rows: readonly Row[]): Statement {
  const { sql, values } = unnest(
    table.columns.map((column) => texts(rows, column)),
    false,
  );
  const select = table.columns.map((column, i) => assignedValue(column, `u.v${i}`)).join(', ');
  const names = table.columns.map((column) => quoteIdent(column.name)).join(', ');
  let text = `INSERT INTO ${qualify(table.schema, table.name)} (${names}) SELECT ${select} FROM ${sql}`;
  if (table.primaryKey.length > 0) {
    const others = table.columns.filter((column) => !table.primaryKey.includes(column.name));
    const action =
      others.length === 0
        ? 'NOTHING'
        : `UPDATE SET ${others.map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`).join(', ')}`;
    text += ` ON CONFLICT (${table.primaryKey.map(quoteIdent).join(', ')}) DO ${action}`;
  }
  return { text, values };
}

/**
 * Reports the ordinals (positions in the statement's rows) that a data-modifying statement did
 * not touch: one small result, usually empty, instead of a row per change.
 */
const missingOrdinals = (statement: string) =>
  `WITH done AS (${statement}) SELECT m.ord FROM unnest($1::int[]) AS m(ord) EXCEPT ALL SELECT ord FROM done`;

/**
 * Multi-row UPDATE by primary key of the given columns; returns the positions of the rows that
 * did not exist. `keys[i]` is row i's old key, `rows[i]` its new values.
 */
export function updateRows(
  table: TargetTable,
  columns: readonly TargetColumn[],
  keys: readonly Row[],
  rows: readonly Row[],
): Statement {
  const key = keyColumns(table);
  const ordinals = keys.map((_, i) => i);
  const { sql, values } = unnest(
    [ordinals, ...key.map((column) => texts(keys, column)), ...columns.map((column) => texts(rows, column))],
    true,
  );
  const set = columns.map(
    (column, i) => `${quoteIdent(column.name)} = ${assignedValue(column, `u.v${1 + key.length + i}`)}`,
  );
  const match = key.map((column, i) => `t.${quoteIdent(column.name)} = ${stored(column, `u.v${1 + i}`)}`);
  return {
    text: missingOrdinals(
      `UPDATE ${qualify(table.schema, table.name)} AS t SET ${set.join(', ')} FROM ${sql} WHERE ${match.join(' AND ')} RETURNING u.ord`,
    ),
    values,
  };
}

/** Multi-row DELETE by primary key; returns the positions of the keys that did not exist. */
export function deleteRows(table: TargetTable, keys: readonly Row[]): Statement {
  const key = keyColumns(table);
  const { sql, values } = unnest([keys.map((_, i) => i), ...key.map((column) => texts(keys, column))], true);
  const match = key.map((column, i) => `t.${quoteIdent(column.name)} = ${stored(column, `u.v${1 + i}`)}`);
  return {
    text: missingOrdinals(
      `DELETE FROM ${qualify(table.schema, table.name)} AS t USING ${sql} WHERE ${match.join(' AND ')} RETURNING u.ord`,
    ),
    values,
  };
}

/** Finds one row of a table without a key by every column of its old image. */
function oneRowMatching(table: TargetTable, before: Row, values: unknown[]): string {
  const conditions = table.columns
    .filter((column) => column.source in before)
    .map((column) => {
      values.push(toPgText(before[column.source]));
      return `${quoteIdent(column.name)}::text IS NOT DISTINCT FROM (${stored(column, `$${values.length}::text`)})::text`;
    });
  const where = conditions.length > 0 ? conditions.join(' AND ') : 'true';
  return `ctid = (SELECT ctid FROM ${qualify(table.schema, table.name)} WHERE ${where} LIMIT 1)`;
}

/** Returns ordinal 0 when the one-row statement touched nothing. */
const notFound = (statement: string) =>
  `WITH done AS (${statement}) SELECT 0 AS ord WHERE NOT EXISTS (SELECT FROM done)`;

/** UPDATE of one row of a table without a key (SynchDB's REPLICA IDENTITY FULL matching). */
export function updateUnkeyed(table: TargetTable, before: Row, after: Row): Statement {
  const values: unknown[] = [];
  const set = table.columns
    .filter((column) => column.source in after)
    .map((column) => {
      values.push(toPgText(after[column.source]));
      return `${quoteIdent(column.name)} = ${assignedValue(column, `$${values.length}::text`)}`;
    });
  const where = oneRowMatching(table, before, values);
  return {
    text: notFound(
      `UPDATE ${qualify(table.schema, table.name)} SET ${set.join(', ')} WHERE ${where} RETURNING 0`,
    ),
    values,
  };
}

/** DELETE of one row of a table without a key. */
export function deleteUnkeyed(table: TargetTable, before: Row): Statement {
  const values: unknown[] = [];
  const where = oneRowMatching(table, before, values);
  return {
    text: notFound(`DELETE FROM ${qualify(table.schema, table.name)} WHERE ${where} RETURNING 0`),
    values,
  };
}
