import { afterAll, beforeAll } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import type { BuiltinSources } from '../../core/sources/builtin-sources.js';
import { builtinSources } from '../../plugins/builtin.js';
import { type ApiServer, startApiServer } from '../../schema/server.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestServer extends AsyncDisposable {
  readonly runtime: Runtime;
  readonly api: ApiServer;
  readonly url: string;
  readonly logs: string[];
  /** The key stored secrets are encrypted with; a restarted server needs the same one. */
  readonly secretKey: string;
}

/**
 * An in-process server on a random port against `databaseUrl`, with its log lines captured.
 * Extra environment settings (TRIBUTARY_*) may be given, and the built-in sources replaced.
 */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  sources: BuiltinSources = builtinSources,
): Promise<TestServer> {
  const secretKey = env.TRIBUTARY_SECRET_KEY ?? generateKey();
  const settings = loadSettings({ ...env, TRIBUTARY_SECRET_KEY: secretKey }, { databaseUrl, port: '0' });
  const logs: string[] = [];
  const logger: Logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const runtime = await openRuntime(settings, logger, sources);
  const api = await startApiServer(runtime.services, '127.0.0.1', 0, { apiTokens: settings.apiTokens });
  await runtime.launchConnectors(settings.safeMode);
  return {
    runtime,
    api,
    url: api.url,
    logs,
    secretKey,
    async [Symbol.asyncDispose]() {
      await api.close();
      await runtime.close();
    },
  };
}

/** A test file's server: filled in before its tests run. */
export interface FileServer {
  /** The fresh target database the server runs on. */
  readonly db: TestDatabase;
  readonly server: TestServer;
}

/**
 * Gives the calling test file a fresh database in the target cluster at `clusterUrl` and an
 * in-process server on it, started before its tests (beforeAll) and removed after them (afterAll).
 */
export function useFileServer(clusterUrl: string, env: Record<string, string> = {}): FileServer {
  const handle: { db?: TestDatabase; server?: TestServer } = {};
  beforeAll(async () => {
    handle.db = await createTestDatabase(clusterUrl);
    handle.server = await startTestServer(handle.db.url, env);
  });
  afterAll(async () => {
    await handle.server?.[Symbol.asyncDispose]();
    await handle.db?.[Symbol.asyncDispose]();
  });
  return {
    get db() {
      if (!handle.db) throw new Error('the file server is not started yet (use it inside a test)');
      return handle.db;
    },
    get server() {
      if (!handle.server) throw new Error('the file server is not started yet (use it inside a test)');
      return handle.server;
    },
  };
}
