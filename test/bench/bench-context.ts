import { type BenchDatabase, createBenchDatabase, startBenchClusters } from './bench-clusters.js';
import type { BenchConfig } from './bench-config.js';
import { BENCH_TABLE_DDL, loadBenchTable } from './bench-data.js';
import type { Cleanup } from './cleanup.js';
import { NativeReplication } from './native-replication.js';
import type { PhaseContext } from './phase-context.js';
import { secondsSince } from './poll.js';
import { CpuMeter } from './process-meter.js';
import { progress } from './report.js';
import { StatementStats } from './statement-stats.js';
import { startTributary } from './tributary-run.js';

/** Everything the PostgreSQL section works with: the source, the three destinations and the replicators. */
export interface BenchContext extends PhaseContext {
  readonly source: BenchDatabase;
  /** Destination of the psql COPY pipe. */
  readonly pipeTarget: BenchDatabase;
  /** Destination of the native subscription. */
  readonly nativeTarget: BenchDatabase;
  /** Tributary's target and metadata database. */
  readonly tributaryTarget: BenchDatabase;
  readonly native: NativeReplication;
  readonly tributaryMissing: string | null;
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
  const { tributary, missing } = await startTributary(
    tributaryTarget,
    postgresConnector(source),
    cleanup,
    config.cpuProfileDir,
  );
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
    checkpointed: [source, tributaryTarget],
  };
}

/** The `postgres` connector replicating `public.bench` of `source`. */
function postgresConnector(source: BenchDatabase): Record<string, unknown> & { type: string } {
  return {
    type: 'postgres',
    host: '127.0.0.1',
    port: source.port,
    user: source.user,
    password: source.password,
    database: source.name,
    schema: 'public',
    tables: ['public.bench'],
  };
}
