import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureBacklog } from './apply-bench.js';
import { readBenchConfig } from './bench-config.js';
import { openBench } from './bench-context.js';
import { planBacklog } from './bench-data.js';
import { Cleanup } from './cleanup.js';
import { machineLoad, peakRssMb } from './process-meter.js';
import { type BenchResults, progress, renderReport } from './report.js';
import { measureSnapshots } from './snapshot-bench.js';

/**
 * `npm run bench`: Tributary against the psql COPY pipe and native logical replication, on
 * throwaway clusters it starts and removes. Prints progress, then the report; exits 0 whatever the
 * figures are, non-zero when the benchmark itself could not run (Tributary included).
 */
async function main(cleanup: Cleanup): Promise<number> {
  const config = readBenchConfig();
  progress(
    `bench: ${config.rows.toLocaleString('en-US')} rows, backlogs of ${config.batchedChanges.toLocaleString('en-US')} ` +
      `changes (${config.changesPerTx}/tx) and ${config.singleChanges.toLocaleString('en-US')} one-row transactions; ${machineLoad()}`,
  );
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
  const results: BenchResults = {
    snapshot,
    batched,
    single,
    peakRssMb: peaks.length > 0 ? Math.max(...peaks) : null,
    tributaryMissing: context.tributaryMissing,
  };
  process.stdout.write(`\n${renderReport(results)}\n\nMachine at the end: ${machineLoad()}.\n`);
  return context.tributaryMissing ? 1 : 0;
}

/**
 * Points TMPDIR at a directory of the run's own, so every cluster directory lands in it and one
 * removal at the end catches even a cluster interrupted while it was being created. The
 * clusters run as the `postgres` user when we are root, so it must be able to enter it.
 */
async function useOwnTempDir(cleanup: Cleanup): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tributary-bench-'));
  await chmod(dir, 0o755);
  cleanup.defer(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  process.env.TMPDIR = dir;
}

const cleanup = new Cleanup();
const report = (line: string) => progress(line);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping and removing the benchmark's servers`);
    void cleanup.run(report).finally(() => process.exit(130));
  });
}

try {
  await useOwnTempDir(cleanup);
  process.exitCode = await main(cleanup);
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  progress('cleaning up');
  await cleanup.run(report);
}
