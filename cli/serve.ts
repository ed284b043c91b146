import { loadSettings, servesUnauthenticatedBeyondLoopback } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openRuntime } from '../core/runtime.js';
import { startApiServer } from '../schema/server.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  databaseUrl?: string;
  dataDir?: string;
  allowUnauthenticated?: boolean;
}

/**
 * Runs the server until SIGINT/SIGTERM, then closes the API, the database pool and the embedded
 * PostgreSQL in that order. Resolves when everything is stopped.
 */
export async function serve(flags: ServeFlags): Promise<void> {
  const { allowUnauthenticated, ...values } = flags;
  const settings = loadSettings(process.env, {
    ...values,
    allowUnauthenticated: allowUnauthenticated ? 'true' : undefined,
  });
  const logger = createLogger(settings.logLevel);
  if (servesUnauthenticatedBeyondLoopback(settings)) {
    logger.warn(
      { host: settings.host },
      `serving the API on ${settings.host} without an API token (--allow-unauthenticated): anyone who can reach it controls Tributary`,
    );
  }
  const runtime = await openRuntime(settings, logger);
  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer(runtime.services, settings.host, settings.port, {
      apiTokens: settings.apiTokens,
    });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  logger.info(
    { url: api.url, embedded: runtime.embedded, auth: settings.apiTokens.length > 0 ? 'token' : 'none' },
    `Tributary ready at ${api.url}`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal }, 'shutting down');
  const forced = setTimeout(() => {
    logger.error('shutdown took longer than 30 s; exiting anyway');
    process.exitCode = 1;
    process.kill(process.pid, 'SIGKILL');
  }, 30_000);
  forced.unref();
  await api.close();
  await runtime.close();
  logger.info('stopped');
}
