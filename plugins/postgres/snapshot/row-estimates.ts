import type { SourceTable } from '../../../core/plugin/index.js';
import type { Sql } from '../client/sql.js';

/**
 * Each table's row count as the statistics estimate it (see `SourceConnection.estimateRows`), in
 * the order given. `pg_class.reltuples` is -1 for a table never vacuumed or analysed (PostgreSQL 14
 * and later); there the statistics collector's live-row count stands in, and a table with neither
 * is `null` (unknown). A partitioned table sums its leaf partitions.
 */
export async function estimateRows(sql: Sql, tables: readonly SourceTable[]): Promise<(number | null)[]> {
  if (tables.length === 0) return [];
  const rows = await sql<{ ord: string; estimate: number | null }>(
    `SELECT t.ord::text AS ord, sum(
              CASE WHEN l.reltuples >= 0 THEN l.reltuples
                   WHEN s.n_live_tup > 0 THEN s.n_live_tup END)::float8 AS estimate
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema, name, ord)
       JOIN pg_namespace n ON n.nspname = t.schema
       JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.name
       CROSS JOIN LATERAL (SELECT c.oid AS relid WHERE c.relkind <> 'p'
                           UNION ALL
                           SELECT p.relid FROM pg_partition_tree(c.oid) p WHERE c.relkind = 'p' AND p.isleaf) leaf
       JOIN pg_class l ON l.oid = leaf.relid
       LEFT JOIN pg_stat_all_tables s ON s.relid = l.oid
      GROUP BY t.ord`,
    [tables.map((table) => table.ref.schema ?? ''), tables.map((table) => table.ref.name)],
  );
  const byPosition = new Map(rows.map((row) => [Number(row.ord), row.estimate]));
  return tables.map((_table, index) => {
    const estimate = byPosition.get(index + 1);
    return estimate === null || estimate === undefined ? null : Math.round(estimate);
  });
}
