import { loadSettings, type Settings, servesUnauthenticatedBeyondLoopback } from '../core/config.js';
import { type DataDirLock, lockDataDir } from '../core/data-dir-lock.js';
import { ConfigError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { guardProcess } from '../core/process-guard.js';
import { openRuntime, type Runtime } from '../core/runtime.js';
import { lockTarget, type TargetLock } from '../core/target/target-lock.js';
import { builtinSources } from '../plugins/builtin.js';
import { type ApiServer, startApiServer } from '../schema/server.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  databaseUrl?: string;
  dataDir?: string;
  allowUnauthenticated?: boolean;
  safeMode?: boolean;
  logFormat?: string;
}

/**
 * Runs the server until SIGINT/SIGTERM. Start-up order: the data-directory lock (with the embedded
 * PostgreSQL), the runtime, the target database's lock (one server per external target), the API's port,
 * and only then the connectors, so a server that cannot serve its API never starts one. Shutdown closes the API, the connectors, the database pool and
 * the embedded PostgreSQL in that order. Resolves when everything is stopped.
 */
export async function serve(flags: ServeFlags): Promise<void> {
  const { allowUnauthenticated, safeMode, ...values } = flags;
  const settings = loadSettings(process.env, {
    ...values,
    allowUnauthenticated: allowUnauthenticated ? 'true' : undefined,
    safeMode: safeMode ? 'true' : undefined,
  });
  const logger = createLogger(settings.logLevel, settings.logFormat);
  if (servesUnauthenticatedBeyondLoopback(settings)) {
    logger.warn(
      { host: settings.host },
      `serving the API on ${settings.host} without an API token (--allow-unauthenticated): anyone who can reach it controls Tributary`,
    );
  }
  // the data directory holds the embedded PostgreSQL: one server at a time
  const lock = settings.databaseUrl === null ? await lockDataDir(settings.dataDir) : null;
  try {
    await serveLocked(settings, logger, lock);
  } finally {
    await lock?.release();
  }
}

async function serveLocked(settings: Settings, logger: Logger, lock: DataDirLock | null): Promise<void> {
  const runtime = await openRuntime(settings, logger, builtinSources);
  let api: ApiServer | undefined;
  let targetLock: TargetLock | undefined;
  let unguard: () => void = () => undefined;
  try {
    // an embedded target is the data directory's, which the data-directory lock already holds
    if (!runtime.embedded) targetLock = await lockTarget(runtime.databaseUrl, logger);
    api = await listen(runtime, settings);
    await lock?.setUrl(api.url);
    unguard = guardProcess(logger, (job, error) => runtime.services.engine.failEscaped(job, error));
    await runtime.launchConnectors(settings.safeMode);
  } catch (error) {
    unguard();
    await api?.close();
    await runtime.close();
    await targetLock?.release();
    throw error;
  }
  logger.info(
    {
      url: api.url,
      embedded: runtime.embedded,
      auth: settings.apiTokens.length > 0 ? 'token' : 'none',
      ...(settings.safeMode ? { safeMode: true } : {}),
    },
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
  await targetLock?.release();
  unguard();
  logger.info('stopped');
}

/** Binds the API's port; a port already taken is a ConfigError saying how to choose another. */
async function listen(runtime: Runtime, settings: Settings): Promise<ApiServer> {
  try {
    return await startApiServer(runtime.services, settings.host, settings.port, {
      apiTokens: settings.apiTokens,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`port ${settings.port} is in use; set --port or TRIBUTARY_PORT`, {
        cause: error,
      });
    }
    throw error;
  }
}
