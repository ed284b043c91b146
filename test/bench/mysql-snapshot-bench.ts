import type pg from 'pg';
import { assertSameChecksum } from './checksum.js';
import { mysqlTableMb } from './mysql-bench-data.js';
import { copyChecksum, mysqlChecksum } from './mysql-checksum.js';
import type { MysqlBenchContext } from './mysql-context.js';
import type { MysqlSnapshotResults, PgloaderMeasured } from './mysql-report.js';
import { runPgloader } from './pgloader.js';
import { quiesce, withCpu } from './phase-context.js';
import { progress } from './report.js';
import { measureTributarySnapshot } from './tributary-snapshot.js';

/**
 * Copies the MariaDB table twice into the same target cluster, one after the other: pgloader into
 * its own database, then Tributary's INITIAL snapshot into its target database. Each destination is
 * checked against the source (row count and checksum) before its time counts.
 */
export async function measureMysqlSnapshots(context: MysqlBenchContext): Promise<MysqlSnapshotResults> {
  // Reading the whole table also brings it into the buffer pool, so neither copy pays for that.
  const expected = await mysqlChecksum(context.source);
  const pgloader = await measurePgloader(context);
  const pgloaderTable = `"${context.source.name}"."bench"`;
  if (pgloader) {
    assertSameChecksum('pgloader', expected, await copyChecksum(context.pgloaderTarget.pool, pgloaderTable));
  }
  const tributary = await measureTributarySnapshot(context);
  const destination = context.tributary?.destinationOf(context.source);
  if (tributary && destination) {
    assertSameChecksum(
      'Tributary snapshot',
      expected,
      await copyChecksum(context.tributaryTarget.pool, destination),
    );
    await context.tributaryTarget.pool.query(`VACUUM (ANALYZE) ${destination}`);
  }
  return {
    rows: expected.rows,
    sourceMb: await mysqlTableMb(context.source),
    pgloader,
    tributary,
    types: {
      pgloader: pgloader ? await columnTypes(context.pgloaderTarget.pool, pgloaderTable) : null,
      tributary:
        tributary && destination ? await columnTypes(context.tributaryTarget.pool, destination) : null,
    },
  };
}

async function measurePgloader(context: MysqlBenchContext): Promise<PgloaderMeasured | null> {
  if (context.pgloaderMissing) return null;
  await quiesce(context);
  progress('snapshot: pgloader (MySQL to PostgreSQL, default settings)');
  const [run, cpu] = await withCpu(context, () =>
    runPgloader(context.config.pgloader, context.source, context.pgloaderTarget, context.workDir),
  );
  progress(`snapshot: pgloader took ${run.seconds.toFixed(2)} s (${run.cpuSeconds.toFixed(2)} CPU s)`);
  return {
    seconds: run.seconds,
    cpu,
    pgloaderCpu: run.cpuSeconds,
    summary: run.summary,
    importSeconds: run.importSeconds,
  };
}

/** `name type, ...` of a destination table, as PostgreSQL prints the types. */
async function columnTypes(pool: pg.Pool, table: string): Promise<string> {
  const { rows } = await pool.query<{ columns: string }>(
    `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) AS columns
       FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [table],
  );
  return rows[0]?.columns ?? '?';
}
