import { type BenchDatabase, checkpoint, createBenchDatabase, startBenchClusters } from './bench-clusters.js';
import type { BenchConfig } from './bench-config.js';
import { BENCH_TABLE_DDL, loadBenchTable } from './bench-data.js';
import type { Cleanup } from './cleanup.js';
import { NativeReplication } from './native-replication.js';
import { secondsSince } from './poll.js';
import { CpuMeter, machineBusySeconds } from './process-meter.js';
import { type PhaseCpu, type PhaseStatements, progress } from './report.js';
import { StatementStats } from './statement-stats.js';
import { GraphQLRequestError, TributaryRun } from './tributary-run.js';

/** Everything one benchmark run works with: the source, the three destinations and the replicators. */
export interface BenchContext {
  readonly config: BenchConfig;
  readonly source: BenchDatabase;
  /** Destination of the psql COPY pipe. */
  readonly pipeTarget: BenchDatabase;
  /** Destination of the native subscription. */
  readonly nativeTarget: BenchDatabase;
  /** Tributary's target and metadata database. */
  readonly tributaryTarget: BenchDatabase;
  readonly native: NativeReplication;
  /** Null when the server refused the `postgres` connector (see `tributaryMissing`). */
  readonly tributary: TributaryRun | null;
  readonly tributaryMissing: string | null;
  readonly meters: {
    readonly source: CpuMeter;
    readonly target: CpuMeter;
    readonly tributary: CpuMeter | null;
  };
  /** pg_stat_statements of Tributary's target database. */
  readonly statements: StatementStats;
}

/** Starts the clusters, loads the source table, pre-creates the baselines' tables and starts Tributary. */
export async function openBench(config: BenchConfig, cleanup: Cleanup): Promise<BenchContext> {
  progress('starting the source (wal_level=logical) and target PostgreSQL clusters');
  const clusters = await startBenchClusters(cleanup);
  const source = await createBenchDatabase(clusters.source, 'benchsrc', cleanup);
  const pipeTarget = await createBenchDatabase(clusters.target, 'bench_pipe', cleanup);
  const nativeTarget = await createBenchDatabase(clusters.target, 'bench_native', cleanup);
  const tributaryTarget = await createBenchDatabase(clusters.target, 'bench_tributary', cleanup);
  progress(`loading ${config.rows.toLocaleString('en-US')} rows into public.bench at the source`);
  const loadStarted = performance.now();
  await loadBenchTable(source.pool, config.rows);
  const size = await source.pool.query<{ size: string }>(
    "SELECT pg_size_pretty(pg_total_relation_size('public.bench')) AS size",
  );
  progress(
    `loaded in ${secondsSince(loadStarted).toFixed(1)} s (${size.rows[0]?.size ?? '?'} with its index)`,
  );
  await pipeTarget.pool.query(BENCH_TABLE_DDL);
  await nativeTarget.pool.query(BENCH_TABLE_DDL);
  const statements = new StatementStats(tributaryTarget.pool);
  await statements.install();
  const { tributary, missing } = await startTributary(source, tributaryTarget, cleanup, config.cpuProfileDir);
  return {
    config,
    source,
    pipeTarget,
    nativeTarget,
    tributaryTarget,
    native: new NativeReplication(source, nativeTarget, config.phaseTimeoutMs),
    tributary,
    tributaryMissing: missing,
    meters: {
      source: new CpuMeter('source', clusters.source.postmasterPid),
      target: new CpuMeter('target', clusters.target.postmasterPid),
      tributary: tributary ? new CpuMeter('tributary', tributary.pid) : null,
    },
    statements,
  };
}

/** Starts the built server and adds the connector; a server without the `postgres` source gives null. */
async function startTributary(
  source: BenchDatabase,
  target: BenchDatabase,
  cleanup: Cleanup,
  cpuProfileDir: string | null,
): Promise<{ tributary: TributaryRun | null; missing: string | null }> {
  progress('starting the Tributary server (dist/cli/main.js serve) and adding the postgres connector');
  const tributary = await TributaryRun.start(target, cleanup, cpuProfileDir);
  try {
    await tributary.addConnector(source);
    return { tributary, missing: null };
  } catch (error) {
    if (!(error instanceof GraphQLRequestError) || error.code !== 'UNSUPPORTED') throw error;
    progress(`Tributary cannot be measured: ${error.message}`);
    await tributary.server.stop('SIGTERM');
    return { tributary: null, missing: error.message };
  }
}

/** Runs `work` and returns its result with the CPU seconds each process group used meanwhile. */
export async function withCpu<T>(context: BenchContext, work: () => Promise<T>): Promise<[T, PhaseCpu]> {
  const { meters } = context;
  const before = {
    source: await meters.source.read(),
    target: await meters.target.read(),
    tributary: await meters.tributary?.read(),
    machine: machineBusySeconds(),
  };
  const value = await work();
  const machine = machineBusySeconds() - before.machine;
  const source = (await meters.source.read()) - before.source;
  const target = (await meters.target.read()) - before.target;
  const tributary =
    meters.tributary && before.tributary !== undefined
      ? (await meters.tributary.read()) - before.tributary
      : null;
  const other = machine - source - target - (tributary ?? 0);
  const cpu: PhaseCpu = { source, target, tributary, other: Math.max(0, other) };
  return [value, cpu];
}

/** CHECKPOINT on both clusters before a timed phase, so no checkpoint left over from the last one lands in it. */
export async function quiesce(context: BenchContext): Promise<void> {
  await checkpoint(context.source);
  await checkpoint(context.tributaryTarget);
}

/** Runs `work` and returns its result with the statements Tributary's target database ran meanwhile. */
export async function withStatements<T>(
  context: BenchContext,
  work: () => Promise<T>,
): Promise<[T, PhaseStatements]> {
  await context.statements.reset();
  const value = await work();
  return [value, { calls: await context.statements.totalCalls(), top: await context.statements.top(5) }];
}
