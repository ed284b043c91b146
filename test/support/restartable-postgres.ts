import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningPostgres, startEmbeddedPostgres } from '../../core/target/embedded-postgres.js';

/** A throwaway PostgreSQL cluster that a test can shut down and start again. */
export interface RestartableCluster extends AsyncDisposable {
  /** Superuser URL of the cluster's `postgres` database; the same across restarts. */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown (sessions end with 57P01), then a start on the same data directory and port. */
  restart(): Promise<void>;
  /** Shuts the cluster down and keeps its data, for a later `start()`. */
  shutdown(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Starts an embedded PostgreSQL on 127.0.0.1 in a temporary directory, like `startTestCluster`,
 * but restartable: embedded-postgres reuses the data directory, password and port on a second
 * start. Disposing stops it and removes the directory.
 */
export async function startRestartableCluster(
  name: string,
  settings: Record<string, string> = {},
): Promise<RestartableCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), `tributary-${name}-`));
  const options = {
    dir,
    database: 'postgres',
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '200',
      ...settings,
    },
  };
  let running: RunningPostgres | undefined = await startEmbeddedPostgres(options);
  const { url, port } = running;
  const shutdown = async () => {
    await running?.stop();
    running = undefined;
  };
  const start = async () => {
    running ??= await startEmbeddedPostgres(options);
    if (running.port !== port) throw new Error(`the cluster came back on port ${running.port}, not ${port}`);
  };
  return {
    url,
    port,
    shutdown,
    start,
    restart: async () => {
      await shutdown();
      await start();
    },
    async [Symbol.asyncDispose]() {
      await shutdown();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
