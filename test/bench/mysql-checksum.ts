import type pg from 'pg';
import type { TableChecksum } from './checksum.js';
import { type MysqlBenchSource, mysqlRows } from './mysql-source.js';

/**
 * A fingerprint of the MySQL `bench` table that its PostgreSQL copies can reproduce whatever
 * types a loader chose (Tributary makes `doc` jsonb and `created_at` timestamp(6); pgloader makes
 * `doc` text and `created_at` timestamptz, read back in the cluster's time zone, UTC, which it was
 * written in): each row becomes one line of text — the values as both servers print them, the
 * timestamp with its six fraction digits, the flag as 0/1, the document's four fields (`even` as
 * JSON text: MariaDB's JSON_VALUE gives 1/0 for true/false) — and the checksum is the row count
 * and the sum of the lines' CRC-32 (MySQL's CRC32; PostgreSQL's crc32, new in 18).
 */
const MYSQL_LINE = `CONCAT_WS('|', id, n, code, amount, note, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f'),
  flag + 0, JSON_VALUE(doc, '$.id'), JSON_VALUE(doc, '$.tag'), JSON_VALUE(doc, '$.score'), JSON_EXTRACT(doc, '$.even'))`;

const PG_LINE = `concat_ws('|', id, n, code, amount, note, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US'),
  flag::int, doc::jsonb ->> 'id', doc::jsonb ->> 'tag', doc::jsonb ->> 'score', doc::jsonb ->> 'even')`;

/** The source table's fingerprint. */
export async function mysqlChecksum(source: MysqlBenchSource): Promise<TableChecksum> {
  const [row] = await mysqlRows<{ rows: string; hash: string }>(
    source,
    `SELECT COUNT(*) AS \`rows\`, CAST(COALESCE(SUM(CRC32(${MYSQL_LINE})), 0) AS CHAR) AS hash FROM bench`,
  );
  if (!row) throw new Error('no checksum row for the MySQL bench table');
  return { rows: Number(row.rows), hash: String(row.hash) };
}

/** The same fingerprint of a PostgreSQL copy, `table` being its qualified, quoted name. */
export async function copyChecksum(pool: pg.Pool, table: string): Promise<TableChecksum> {
  const { rows } = await pool.query<{ rows: string; hash: string }>(
    `SELECT count(*)::text AS rows, coalesce(sum(crc32(convert_to(${PG_LINE}, 'UTF8'))), 0)::text AS hash
       FROM ${table}`,
  );
  const [row] = rows;
  if (!row) throw new Error(`no checksum row for ${table}`);
  return { rows: Number(row.rows), hash: row.hash };
}

/** The line of row `id` at the source, or null when it does not exist. */
export async function mysqlRowLine(source: MysqlBenchSource, id: number): Promise<string | null> {
  const [row] = await mysqlRows<{ line: string }>(
    source,
    `SELECT ${MYSQL_LINE} AS line FROM bench WHERE id = ?`,
    [id],
  );
  return row ? String(row.line) : null;
}

/** The line of row `id` in a PostgreSQL copy, or null when it does not exist: cheap enough to poll. */
export async function copyRowLine(pool: pg.Pool, table: string, id: number): Promise<string | null> {
  const { rows } = await pool.query<{ line: string }>(
    `SELECT ${PG_LINE} AS line FROM ${table} WHERE id = $1`,
    [id],
  );
  return rows[0]?.line ?? null;
}
