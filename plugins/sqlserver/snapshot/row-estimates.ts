import type { SourceTable } from '../../../core/plugin/index.js';
import type { QueryRunner } from '../client/sql.js';
import { ROW_ESTIMATES } from '../client/statements.js';

/**
 * Each table's row count as `sys.partitions` holds it (see `SourceConnection.estimateRows`), in
 * the order given: the rows of its heap or clustered index, summed over partitions — catalog
 * metadata, never a scan. `null` for a table the catalog does not list.
 */
export async function estimateRows(
  runner: QueryRunner,
  tables: readonly SourceTable[],
): Promise<(number | null)[]> {
  if (tables.length === 0) return [];
  const found = new Map<string, number>();
  for (const row of await runner.query(ROW_ESTIMATES))
    found.set(JSON.stringify([row.schema_name, row.table_name]), Number(row.estimate));
  return tables.map(
    (table) => found.get(JSON.stringify([table.ref.schema ?? 'dbo', table.ref.name])) ?? null,
  );
}
