import type { BenchConfig } from './bench-config.js';
import { planBacklog } from './bench-data.js';
import type { Cleanup } from './cleanup.js';
import { measureMysqlBacklog } from './mysql-cdc-bench.js';
import { openMysqlBench } from './mysql-context.js';
import type { MysqlBenchResults } from './mysql-report.js';
import { measureMysqlSnapshots } from './mysql-snapshot-bench.js';
import { peakRssMb } from './process-meter.js';

/**
 * The MySQL→PostgreSQL section: Tributary's `mysql` connector against pgloader for the snapshot,
 * then its apply rate for a binary log backlog, on a MariaDB and a target cluster `cleanup` removes.
 */
export async function runMysqlBench(config: BenchConfig, cleanup: Cleanup): Promise<MysqlBenchResults> {
  const context = await openMysqlBench(config, cleanup);
  const snapshot = await measureMysqlSnapshots(context);
  const plan = planBacklog(
    `batched (${config.changesPerTx}/tx)`,
    config.rows,
    config.batchedChanges,
    config.changesPerTx,
    1,
  );
  const cdc = await measureMysqlBacklog(context, plan);
  const overallPeak = context.tributary ? peakRssMb(context.tributary.pid) : null;
  const peaks = [snapshot.tributary?.peakRssMb, cdc?.tributary.peakRssMb, overallPeak].filter(
    (peak): peak is number => typeof peak === 'number',
  );
  return {
    version: context.source.version,
    snapshot,
    cdc,
    peakRssMb: peaks.length > 0 ? Math.max(...peaks) : null,
    tributaryMissing: context.tributaryMissing,
    pgloaderMissing: context.pgloaderMissing,
  };
}
