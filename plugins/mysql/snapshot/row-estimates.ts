import type { SourceTable } from '../../../core/plugin/index.js';
import type { Sql } from '../client/sql.js';

/**
 * Each table's row count as `information_schema.TABLES.TABLE_ROWS` estimates it (see
 * `SourceConnection.estimateRows`), in the order given; `null` for a table the server does not
 * list. InnoDB's figure is a sample-based estimate; MySQL 8 serves it from a cache that
 * `information_schema_stats_expiry` (a day by default) or `ANALYZE TABLE` refreshes, MariaDB reads
 * it live. Names are matched exactly, since information_schema compares case-insensitively.
 */
export async function estimateRows(sql: Sql, tables: readonly SourceTable[]): Promise<(number | null)[]> {
  if (tables.length === 0) return [];
  const databases = [...new Set(tables.map((table) => table.ref.database))];
  const names = [...new Set(tables.map((table) => `${table.ref.database}.${table.ref.name}`))];
  // whole names through CONCAT: a plain TABLE_NAME IN (...) lets the server fold names that differ in case
  const rows = await sql<{ db: string; tbl: string; estimate: number | string | null }>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, TABLE_ROWS AS estimate FROM information_schema.TABLES
     WHERE TABLE_SCHEMA IN (${placeholders(databases)})
       AND CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) IN (${placeholders(names)})`,
    [...databases, ...names],
  );
  const found = new Map(rows.map((row) => [JSON.stringify([row.db, row.tbl]), row.estimate]));
  return tables.map((table) => {
    const estimate = found.get(JSON.stringify([table.ref.database, table.ref.name]));
    return estimate === null || estimate === undefined ? null : Number(estimate);
  });
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
