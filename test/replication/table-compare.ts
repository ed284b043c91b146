import type { TestDatabase } from '../support/test-database.js';

export interface TableDigest {
  readonly rows: number;
  readonly digest: string | null;
}

/** Row count and an order-independent digest of every row's text, for comparing whole tables. */
export async function digestTable(db: TestDatabase, table: string): Promise<TableDigest> {
  const { rows } = await db.query<{ rows: number; digest: string | null }>(
    `SELECT count(*)::int AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS digest FROM ${table} t`,
  );
  return rows[0] ?? { rows: 0, digest: null };
}

/**
 * Compares two tables row by row by primary key `id`; returns a description of the first
 * differences (missing, extra, different rows), or an empty list when they are identical.
 */
export async function diffTables(
  source: TestDatabase,
  sourceTable: string,
  target: TestDatabase,
  targetTable: string,
) {
  const read = async (db: TestDatabase, table: string) =>
    new Map(
      (
        await db.query<{ id: string; row: string }>(`SELECT id::text AS id, t::text AS row FROM ${table} t`)
      ).rows.map((r) => [r.id, r.row]),
    );
  const [expected, actual] = await Promise.all([read(source, sourceTable), read(target, targetTable)]);
  const problems: string[] = [];
  for (const [id, row] of expected) {
    const got = actual.get(id);
    if (got === undefined) problems.push(`missing id ${id}`);
    else if (got !== row) problems.push(`id ${id}: expected ${row}, got ${got}`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) problems.push(`extra id ${id}`);
  return problems.slice(0, 20);
}
