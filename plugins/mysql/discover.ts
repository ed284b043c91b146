import type { SourceTable, TableRef, TableSelection } from '../../core/plugin/index.js';
import type { Sql } from './client/sql.js';
import { type ColumnSpec, sourceColumn } from './schema/column-types.js';

type ColumnRow = {
  db: string;
  tbl: string;
  name: string;
  position: number | string;
  data_type: string;
  column_type: string;
  char_length: number | string | null;
  numeric_precision: number | string | null;
  numeric_scale: number | string | null;
  datetime_precision: number | string | null;
  is_nullable: string;
  extra: string;
};

/** Which tables a query reads: an SQL condition on TABLE_SCHEMA / TABLE_NAME and its values. */
interface TableFilter {
  /** The condition, given the column that holds the database name (`TABLE_SCHEMA`, `CONSTRAINT_SCHEMA`). */
  readonly where: (schemaColumn: string) => string;
  readonly values: readonly string[];
  /** Exact (case-sensitive) test of a found table, since information_schema compares case-insensitively. */
  readonly keeps: (ref: TableRef) => boolean;
}

/**
 * The selected base tables in selection order. Entries are `db.table` exactly as the server
 * spells both names (case-sensitive; spaces and dots allowed), matched whole against
 * `CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)`, so no entry is ever split or case-folded. `null`
 * selects every base table of `database`. Unknown names, views and repeats are omitted.
 */
export async function discoverTables(
  sql: Sql,
  database: string,
  selection: TableSelection,
): Promise<SourceTable[]> {
  if (selection === null) {
    return describe(sql, {
      where: (schema) => `${schema} = ?`,
      values: [database],
      keeps: (ref) => ref.database === database,
    });
  }
  const wanted = [...new Set(selection)];
  if (wanted.length === 0) return [];
  const names = new Set(wanted);
  const databases = [...new Set(wanted.flatMap(databaseCandidates))];
  const tables = await describe(sql, {
    where: (schema) =>
      `${schema} IN (${placeholders(databases)}) AND CONCAT(${schema}, '.', TABLE_NAME) IN (${placeholders(wanted)})`,
    values: [...databases, ...wanted],
    keeps: (ref) => names.has(`${ref.database}.${ref.name}`),
  });
  const byName = new Map(tables.map((table) => [`${table.ref.database}.${table.ref.name}`, table]));
  return wanted.flatMap((name) => byName.get(name) ?? []);
}

/**
 * Every database name `db.table` could start with (the text before each dot). Only narrows the
 * query, so the server opens the metadata of these databases alone; the whole name still decides.
 */
function databaseCandidates(qualified: string): string[] {
  return [...qualified.matchAll(/\./g)].map((dot) => qualified.slice(0, dot.index));
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** The table as the server describes it now, or undefined when it is not a base table (any more). */
export async function describeTable(sql: Sql, ref: TableRef): Promise<SourceTable | undefined> {
  const [table] = await describe(sql, {
    where: (schema) => `${schema} = ? AND TABLE_NAME = ?`,
    values: [ref.database, ref.name],
    keeps: (found) => found.database === ref.database && found.name === ref.name,
  });
  return table;
}

async function describe(sql: Sql, filter: TableFilter): Promise<SourceTable[]> {
  const found = await sql<{ db: string; tbl: string }>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl FROM information_schema.TABLES
     WHERE TABLE_TYPE = 'BASE TABLE' AND ${filter.where('TABLE_SCHEMA')}
     ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    filter.values,
  );
  const refs = found
    .map((row): TableRef => ({ database: row.db, schema: null, name: row.tbl }))
    .filter((ref) => filter.keeps(ref));
  if (refs.length === 0) return [];
  const [columns, keys, json] = await Promise.all([
    columnRows(sql, filter),
    primaryKeys(sql, filter),
    jsonColumns(sql, filter),
  ]);
  return refs.map((ref) => ({
    ref,
    columns: (columns.get(tableKey(ref)) ?? []).map((row) =>
      sourceColumn(columnSpec(row, json.has(columnKey(ref, row.name)))),
    ),
    primaryKey: keys.get(tableKey(ref)) ?? [],
  }));
}

async function columnRows(sql: Sql, filter: TableFilter): Promise<Map<string, ColumnRow[]>> {
  const rows = await sql<ColumnRow>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS position,
            DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, CHARACTER_MAXIMUM_LENGTH AS char_length,
            NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale,
            DATETIME_PRECISION AS datetime_precision, IS_NULLABLE AS is_nullable, EXTRA AS extra
     FROM information_schema.COLUMNS WHERE ${filter.where('TABLE_SCHEMA')}
     ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    filter.values,
  );
  return groupByTable(rows);
}

/** PRIMARY KEY columns of each table, in key order. */
async function primaryKeys(sql: Sql, filter: TableFilter): Promise<Map<string, string[]>> {
  const rows = await sql<{ db: string; tbl: string; name: string }>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, COLUMN_NAME AS name
     FROM information_schema.KEY_COLUMN_USAGE
     WHERE CONSTRAINT_NAME = 'PRIMARY' AND ${filter.where('TABLE_SCHEMA')}
     ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    filter.values,
  );
  const grouped = groupByTable(rows);
  return new Map([...grouped].map(([table, keyRows]) => [table, keyRows.map((row) => row.name)]));
}

/**
 * MariaDB's JSON columns: LONGTEXT with a column-level `CHECK (json_valid(col))`. Keys are
 * `columnKey`s. MySQL has a real JSON type (and no TABLE_NAME in CHECK_CONSTRAINTS), so there
 * the set is empty.
 */
async function jsonColumns(sql: Sql, filter: TableFilter): Promise<Set<string>> {
  const [probe] = await sql<{ found: number | string }>(
    `SELECT COUNT(*) AS found FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'CHECK_CONSTRAINTS'
       AND COLUMN_NAME IN ('TABLE_NAME', 'LEVEL')`,
  );
  if (Number(probe?.found) < 2) return new Set();
  const rows = await sql<{ db: string; tbl: string; clause: string }>(
    `SELECT CONSTRAINT_SCHEMA AS db, TABLE_NAME AS tbl, CHECK_CLAUSE AS clause
     FROM information_schema.CHECK_CONSTRAINTS
     WHERE LEVEL = 'Column' AND CHECK_CLAUSE LIKE 'json\\_valid(%' AND ${filter.where('CONSTRAINT_SCHEMA')}`,
    filter.values,
  );
  return new Set(
    rows.flatMap((row) => {
      const column = /^json_valid\(`((?:[^`]|``)*)`\)$/.exec(row.clause)?.[1];
      const ref = { database: row.db, schema: null, name: row.tbl };
      return column === undefined ? [] : [columnKey(ref, column.replaceAll('``', '`'))];
    }),
  );
}

function columnSpec(row: ColumnRow, json: boolean): ColumnSpec {
  return {
    name: row.name,
    position: Number(row.position),
    dataType: row.data_type.toLowerCase(),
    unsigned: /\bunsigned\b/i.test(row.column_type),
    charLength: numberOrNull(row.char_length),
    numericPrecision: numberOrNull(row.numeric_precision),
    numericScale: numberOrNull(row.numeric_scale),
    datetimePrecision: numberOrNull(row.datetime_precision),
    nullable: row.is_nullable === 'YES',
    autoIncrement: /\bauto_increment\b/i.test(row.extra),
    json,
  };
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** Rows grouped by their table's `tableKey`, in row order. */
function groupByTable<R extends { db: string; tbl: string }>(rows: readonly R[]): Map<string, R[]> {
  const grouped = new Map<string, R[]>();
  for (const row of rows) {
    const key = tableKey({ database: row.db, schema: null, name: row.tbl });
    grouped.set(key, [...(grouped.get(key) ?? []), row]);
  }
  return grouped;
}

function tableKey(ref: TableRef): string {
  return `${ref.database}\u0000${ref.name}`;
}

function columnKey(ref: TableRef, column: string): string {
  return `${tableKey(ref)}\u0000${column.toLowerCase()}`;
}
