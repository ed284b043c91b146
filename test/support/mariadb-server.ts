import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from '../../core/target/free-port.js';

const run = promisify(execFile);

/** Where Debian's `mariadb-server` package puts the server and the bootstrap script. */
const MARIADBD = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'];
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];

/** The administrator the harness creates: every privilege, reachable over TCP from 127.0.0.1. */
export const MARIADB_ADMIN = { user: 'admin', password: 'admin-secret' } as const;

export interface MariadbServer extends AsyncDisposable {
  readonly port: number;
  readonly host: '127.0.0.1';
  /** `mysql://admin:…@127.0.0.1:port/` for the administrator. */
  readonly url: string;
  /** The running server process's pid (for tests that kill or restart it). */
  readonly pid: number;
  /** Shuts the server down (SIGTERM), keeping its data directory for `start()`. */
  shutdown(): Promise<void>;
  /** Starts a shut-down server again on the same data directory and port. */
  start(): Promise<void>;
  /** `shutdown()` then `start()`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway MariaDB (Debian's `mariadbd`) on 127.0.0.1, a free port, and its own data
 * directory and socket, with the binary log on in ROW format with full row images and full row
 * metadata. `settings` are
 * extra server options (`{ binlog_format: 'STATEMENT' }`). `stop()` shuts it down and removes the
 * directory.
 */
export async function startMariadb(
  name: string,
  settings: Record<string, string> = {},
): Promise<MariadbServer> {
  const mariadbd = MARIADBD.find((file) => existsSync(file));
  const installDb = INSTALL_DB.find((file) => existsSync(file));
  if (!mariadbd || !installDb)
    throw new Error('mariadbd is not installed; install Debian package mariadb-server (.ci/run does)');
  const dir = await mkdtemp(path.join(tmpdir(), `tributary-mariadb-${name}-`));
  const datadir = path.join(dir, 'data');
  await mkdir(path.join(dir, 'binlog'));
  await mkdir(path.join(dir, 'tmp'));
  // its bootstrap server gets this server's own tmpdir: runs sharing /tmp have collided there
  await run(
    installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ],
    { env: { ...process.env, TMPDIR: path.join(dir, 'tmp') } },
  );
  const port = await freePort();
  const socket = path.join(dir, 'mariadb.sock');
  const options: Record<string, string> = {
    datadir,
    port: String(port),
    socket,
    tmpdir: path.join(dir, 'tmp'),
    'bind-address': '127.0.0.1',
    'pid-file': path.join(dir, 'mariadb.pid'),
    'log-error': path.join(dir, 'error.log'),
    'log-bin': path.join(dir, 'binlog', 'mariadb-bin'),
    'server-id': '1',
    'binlog-format': 'ROW',
    'binlog-row-image': 'FULL',
    'binlog-row-metadata': 'FULL',
    'skip-name-resolve': 'ON',
    'character-set-server': 'utf8mb4',
    'collation-server': 'utf8mb4_unicode_ci',
    'innodb-buffer-pool-size': '256M',
    'innodb-log-file-size': '256M',
    'innodb-flush-log-at-trx-commit': '2',
    'sync-binlog': '0',
    'max-connections': '300',
    ...Object.fromEntries(Object.entries(settings).map(([key, value]) => [key.replaceAll('_', '-'), value])),
  };
  const args = ['--no-defaults', '--user=root', ...Object.entries(options).map(([k, v]) => `--${k}=${v}`)];
  let child = spawn(mariadbd, args, { stdio: 'ignore' });
  let exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await bootstrap(socket, child);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `mysql://${MARIADB_ADMIN.user}:${MARIADB_ADMIN.password}@127.0.0.1:${port}/`;
  const shutdown = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  };
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      await shutdown();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const start = async () => {
    if (child.exitCode === null && child.signalCode === null) return;
    child = spawn(mariadbd, args, { stdio: 'ignore' });
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitUntilServing(url, child);
  };
  const restart = async () => {
    await shutdown();
    await start();
  };
  return {
    port,
    host: '127.0.0.1',
    url,
    get pid() {
      return child.pid ?? 0;
    },
    shutdown,
    start,
    restart,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Waits until the administrator can log in over TCP (after a restart). */
async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with code ${child.exitCode} at restart`);
    try {
      const admin = await mysql.createConnection(url);
      await admin.end();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Waits for the socket to accept root, then creates the TCP administrator. */
async function bootstrap(socket: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with code ${child.exitCode} at start`);
    try {
      const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
      try {
        await root.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [MARIADB_ADMIN.user, MARIADB_ADMIN.password]);
        await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [MARIADB_ADMIN.user]);
      } finally {
        await root.end();
      }
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
