import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BenchDatabase, createBenchDatabase, startTargetCluster } from './bench-clusters.js';
import type { BenchConfig } from './bench-config.js';
import type { Cleanup } from './cleanup.js';
import { loadMysqlBenchTable, mysqlTableMb } from './mysql-bench-data.js';
import { type MysqlBenchSource, mysqlConnector, startMysqlSource } from './mysql-source.js';
import { pgloaderMissing } from './pgloader.js';
import type { PhaseContext } from './phase-context.js';
import { secondsSince } from './poll.js';
import { CpuMeter } from './process-meter.js';
import { progress } from './report.js';
import { StatementStats } from './statement-stats.js';
import { startTributary } from './tributary-run.js';

/** Everything the MySQL section works with: MariaDB, the two destinations, pgloader and Tributary. */
export interface MysqlBenchContext extends PhaseContext {
  readonly source: MysqlBenchSource;
  /** pgloader's destination database (it creates schema `benchsrc` there). */
  readonly pgloaderTarget: BenchDatabase;
  /** Tributary's target and metadata database, in the same cluster. */
  readonly tributaryTarget: BenchDatabase;
  /** Why pgloader is not measured (not installed), or null. */
  readonly pgloaderMissing: string | null;
  readonly tributaryMissing: string | null;
  /** Where pgloader's command file and logs go (inside the run's own temporary directory). */
  readonly workDir: string;
}

/** Starts MariaDB and a target cluster side by side, loads the table and starts Tributary. */
export async function openMysqlBench(config: BenchConfig, cleanup: Cleanup): Promise<MysqlBenchContext> {
  progress('starting MariaDB (binlog ROW) and a target PostgreSQL cluster');
  const [mariadb, cluster] = await Promise.allSettled([
    startMysqlSource(cleanup),
    startTargetCluster(cleanup),
  ]);
  if (mariadb.status === 'rejected') throw mariadb.reason;
  if (cluster.status === 'rejected') throw cluster.reason;
  const source = mariadb.value;
  const pgloaderTarget = await createBenchDatabase(cluster.value, 'bench_pgloader', cleanup);
  const tributaryTarget = await createBenchDatabase(cluster.value, 'bench_tributary', cleanup);
  progress(
    `loading ${config.rows.toLocaleString('en-US')} rows into benchsrc.bench at MariaDB ${source.version}`,
  );
  const loadStarted = performance.now();
  await loadMysqlBenchTable(source, config.rows);
  progress(
    `loaded in ${secondsSince(loadStarted).toFixed(1)} s (${(await mysqlTableMb(source)).toFixed(0)} MB with its index)`,
  );
  const missing = pgloaderMissing(config.pgloader);
  if (missing) progress(`pgloader cannot be measured: ${missing}`);
  const statements = new StatementStats(tributaryTarget.pool);
  await statements.install();
  const started = await startTributary(
    tributaryTarget,
    mysqlConnector(source),
    cleanup,
    config.cpuProfileDir,
  );
  return {
    config,
    source,
    pgloaderTarget,
    tributaryTarget,
    pgloaderMissing: missing,
    tributary: started.tributary,
    tributaryMissing: started.missing,
    workDir: path.join(tmpdir(), 'pgloader'),
    meters: {
      source: new CpuMeter('mariadb', source.pid),
      target: new CpuMeter('target', cluster.value.postmasterPid),
      tributary: started.tributary ? new CpuMeter('tributary', started.tributary.pid) : null,
    },
    statements,
    checkpointed: [tributaryTarget],
  };
}
