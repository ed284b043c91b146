import { measureBacklog } from './apply-bench.js';
import type { BenchConfig } from './bench-config.js';
import { openBench } from './bench-context.js';
import { planBacklog } from './bench-data.js';
import type { Cleanup } from './cleanup.js';
import { peakRssMb } from './process-meter.js';
import type { BenchResults } from './report.js';
import { measureSnapshots } from './snapshot-bench.js';

/**
 * The PostgreSQL→PostgreSQL section: Tributary against the psql COPY pipe and native logical
 * replication, for the snapshot and two backlogs, on clusters `cleanup` removes.
 */
export async function runPostgresBench(config: BenchConfig, cleanup: Cleanup): Promise<BenchResults> {
  const context = await openBench(config, cleanup);
  const snapshot = await measureSnapshots(context);
  const batchedPlan = planBacklog(
    `batched (${config.changesPerTx}/tx)`,
    config.rows,
    config.batchedChanges,
    config.changesPerTx,
    1,
  );
  const batched = await measureBacklog(context, batchedPlan);
  const singlePlan = planBacklog('single-row (1/tx)', config.rows, config.singleChanges, 1, 2, batchedPlan);
  const single = await measureBacklog(context, singlePlan);
  const overallPeak = context.tributary ? peakRssMb(context.tributary.pid) : null;
  const peaks = [
    snapshot.tributary?.peakRssMb,
    batched.tributary?.peakRssMb,
    single.tributary?.peakRssMb,
    overallPeak,
  ].filter((peak): peak is number => typeof peak === 'number');
  return {
    snapshot,
    batched,
    single,
    peakRssMb: peaks.length > 0 ? Math.max(...peaks) : null,
    tributaryMissing: context.tributaryMissing,
  };
}
