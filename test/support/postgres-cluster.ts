import { chmod, chown, copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../core/target/embedded-postgres.js';

export interface TestCluster extends AsyncDisposable {
  /** Superuser URL of the cluster's `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** TLS for a test cluster: PEM files, copied into the data directory when the cluster starts. */
export interface TestClusterTls {
  /** The server's certificate and private key. */
  readonly cert: string;
  readonly key: string;
  /** CA certificates that client certificates must chain to (`ssl_ca_file`). */
  readonly ca?: string;
  /** Roles refused unless they connect over TLS (`hostnossl … reject` in pg_hba.conf). */
  readonly requiredFor?: readonly string[];
}

/**
 * Starts a throwaway PostgreSQL (embedded-postgres) on 127.0.0.1, a free port and a temporary
 * directory, with `ssl = on` when `tls` is given; `stop()` shuts it down and removes the directory.
 */
export async function startTestCluster(
  name: string,
  settings: Record<string, string> = {},
  tls?: TestClusterTls,
): Promise<TestCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), `tributary-${name}-`));
  const server = await startEmbeddedPostgres({
    dir,
    database: 'postgres',
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '200',
      ...settings,
    },
  });
  const stop = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  if (tls)
    await enableTls(server.url, path.join(dir, 'pg'), tls).catch(async (error) => {
      await stop();
      throw error;
    });
  return { url: server.url, port: server.port, stop, [Symbol.asyncDispose]: stop };
}

/**
 * Copies the files into the data directory, owned by the server's user (PostgreSQL refuses a key
 * others can read), then turns TLS on with a reload and waits until new sessions see it.
 */
async function enableTls(url: string, dataDir: string, tls: TestClusterTls): Promise<void> {
  const owner = await stat(dataDir);
  const files: [string | undefined, string][] = [
    [tls.cert, 'server.crt'],
    [tls.key, 'server.key'],
    [tls.ca, 'root.crt'],
  ];
  for (const [from, to] of files) {
    if (from === undefined) continue;
    await copyFile(from, path.join(dataDir, to));
    await chown(path.join(dataDir, to), owner.uid, owner.gid);
    await chmod(path.join(dataDir, to), 0o600);
  }
  const hba = path.join(dataDir, 'pg_hba.conf');
  const reject = (tls.requiredFor ?? []).map((role) => `hostnossl all "${role}" all reject\n`).join('');
  await writeFile(hba, reject + (await readFile(hba, 'utf8')));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`ALTER SYSTEM SET ssl_cert_file = 'server.crt'`);
    await admin.query(`ALTER SYSTEM SET ssl_key_file = 'server.key'`);
    if (tls.ca !== undefined) await admin.query(`ALTER SYSTEM SET ssl_ca_file = 'root.crt'`);
    await admin.query(`ALTER SYSTEM SET ssl = on`);
    await admin.query('SELECT pg_reload_conf()');
  } finally {
    await admin.end();
  }
  for (let attempt = 0; ; attempt++) {
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const { rows } = await probe.query<{ ssl: string }>('SHOW ssl').finally(() => probe.end());
    if (rows[0]?.ssl === 'on') return;
    if (attempt > 100) throw new Error('the test cluster did not turn TLS on');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
