import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../core/target/embedded-postgres.js';

export interface TestCluster extends AsyncDisposable {
  /** Superuser URL of the cluster's `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL (embedded-postgres) on 127.0.0.1, a free port and a temporary
 * directory; `stop()` shuts it down and removes the directory.
 */
export async function startTestCluster(
  name: string,
  settings: Record<string, string> = {},
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
  return { url: server.url, port: server.port, stop, [Symbol.asyncDispose]: stop };
}
