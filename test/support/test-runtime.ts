import { loadSettings } from '../../core/config.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { type ApiServer, startApiServer } from '../../schema/server.js';

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
 * Extra environment settings (TRIBUTARY_*) may be given.
 */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const secretKey = env.TRIBUTARY_SECRET_KEY ?? generateKey();
  const settings = loadSettings({ ...env, TRIBUTARY_SECRET_KEY: secretKey }, { databaseUrl, port: '0' });
  const logs: string[] = [];
  const logger: Logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const runtime = await openRuntime(settings, logger);
  const api = await startApiServer(runtime.services, '127.0.0.1', 0, { apiTokens: settings.apiTokens });
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
