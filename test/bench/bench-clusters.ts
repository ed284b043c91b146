import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startTestCluster, type TestCluster } from '../support/postgres-cluster.js';
import type { Cleanup } from './cleanup.js';
import { pollUntil } from './poll.js';

/** A database the benchmark created, with what psql, a subscription and a connector need to reach it. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A small pool for the benchmark's own queries; ended by the run's cleanup. */
  readonly pool: pg.Pool;
}

/**
 * Both clusters run without autovacuum (the bench vacuums between phases), so no background vacuum
 * lands inside one measurement and not another, and with room for WAL, so checkpoints come when asked.
 */
const QUIET_SETTINGS = { autovacuum: 'off', max_wal_size: '4GB' } as const;

/** A running cluster with where it lives: its postmaster and its temporary directory. */
export interface BenchCluster {
  readonly cluster: TestCluster;
  readonly postmasterPid: number;
  /** The directory startTestCluster made (the data directory's parent). */
  readonly dir: string;
}

/** The source (wal_level=logical) and target PostgreSQL 18 clusters of one run. */
export interface BenchClusters {
  readonly source: BenchCluster;
  readonly target: BenchCluster;
}

/** The target cluster's settings: pg_stat_statements, to show which statements a replicator sent. */
const TARGET_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_planning': 'on',
} as const;

/** Starts both clusters side by side; the cleanup stops them and removes their directories. */
export async function startBenchClusters(cleanup: Cleanup): Promise<BenchClusters> {
  const [source, target] = await Promise.allSettled([
    startCluster('source', cleanup, {
      wal_level: 'logical',
      max_replication_slots: '20',
      max_wal_senders: '20',
    }),
    startTargetCluster(cleanup),
  ]);
  if (source.status === 'rejected') throw source.reason;
  if (target.status === 'rejected') throw target.reason;
  return { source: source.value, target: target.value };
}

/** Starts a target cluster alone (the MySQL section's); the cleanup stops it and removes its directory. */
export function startTargetCluster(cleanup: Cleanup): Promise<BenchCluster> {
  return startCluster('target', cleanup, TARGET_SETTINGS);
}

async function startCluster(
  label: string,
  cleanup: Cleanup,
  settings: Record<string, string>,
): Promise<BenchCluster> {
  const cluster = await startTestCluster(`bench-${label}`, { ...QUIET_SETTINGS, ...settings });
  let where: Omit<BenchCluster, 'cluster'> | null = null;
  cleanup.defer(`stop the ${label} cluster`, () => stopCluster(cluster, where));
  where = await locate(cluster);
  return { cluster, ...where };
}

async function locate(cluster: TestCluster): Promise<Omit<BenchCluster, 'cluster'>> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    const dataDir = rows[0]?.data_directory;
    if (!dataDir) throw new Error('the cluster did not report its data directory');
    const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return { postmasterPid: pid, dir: path.dirname(dataDir) };
  } finally {
    await client.end();
  }
}

/**
 * Stops a cluster and removes its directory. TestCluster.stop waits for the postmaster's exit
 * event, which never comes when it has already exited (Ctrl-C reaches the whole process group), so
 * the wait is bounded by the postmaster being gone.
 */
async function stopCluster(cluster: TestCluster, where: Omit<BenchCluster, 'cluster'> | null): Promise<void> {
  const stopped = cluster.stop();
  if (!where) return stopped;
  const { postmasterPid, dir } = where;
  const gone = pollUntil(
    'the postmaster to exit',
    async () => (isAlive(postmasterPid) ? undefined : true),
    60_000,
    100,
  );
  await Promise.race([stopped, gone.then(() => sleep(1000))]);
  await rm(dir, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Creates database `name` in `cluster` and opens a pool on it (ended by the cleanup). */
export async function createBenchDatabase(
  { cluster }: BenchCluster,
  name: string,
  cleanup: Cleanup,
): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  cleanup.defer(`close the pool on ${name}`, () => pool.end());
  return {
    name,
    url: url.toString(),
    port: cluster.port,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    pool,
  };
}

/** CHECKPOINT on a cluster, so a checkpoint left over from the last phase does not land in the next one. */
export async function checkpoint(database: BenchDatabase): Promise<void> {
  await database.pool.query('CHECKPOINT');
}
