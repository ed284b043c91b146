import type pg from 'pg';
import { BENCH_COLUMNS } from './bench-data.js';

/** A whole-table fingerprint: row count and the sum of a hash of each row's text form. */
export interface TableChecksum {
  readonly rows: number;
  readonly hash: string;
}

/** Fingerprints `table` over the benchmark's columns (columns a replicator adds are ignored). */
export async function tableChecksum(pool: pg.Pool, table: string): Promise<TableChecksum> {
  const { rows } = await pool.query<{ rows: string; hash: string }>(
    `SELECT count(*)::text AS rows, coalesce(sum(hashtext(ROW(${BENCH_COLUMNS})::text)::bigint), 0)::text AS hash
       FROM ${table}`,
  );
  const [row] = rows;
  if (!row) throw new Error(`no checksum row for ${table}`);
  return { rows: Number(row.rows), hash: row.hash };
}

/** The text form of row `id` of `table`, or null when it does not exist: cheap enough to poll. */
export async function rowImage(pool: pg.Pool, table: string, id: number): Promise<string | null> {
  const { rows } = await pool.query<{ image: string }>(
    `SELECT ROW(${BENCH_COLUMNS})::text AS image FROM ${table} WHERE id = $1`,
    [id],
  );
  return rows[0]?.image ?? null;
}

/** Throws when a destination's fingerprint differs from the source's; the benchmark only counts correct copies. */
export function assertSameChecksum(what: string, source: TableChecksum, destination: TableChecksum): void {
  if (source.rows !== destination.rows || source.hash !== destination.hash) {
    throw new Error(
      `${what}: the destination differs from the source (source ${source.rows} rows, hash ${source.hash}; destination ${destination.rows} rows, hash ${destination.hash})`,
    );
  }
}
