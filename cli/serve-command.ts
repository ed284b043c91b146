import { Command } from 'commander';
import { loadSettings } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openRuntime } from '../core/runtime.js';
import { startApiServer } from '../schema/server.js';

interface ServeFlags {
  port?: string;
  host?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/**
 * Runs the server until SIGINT/SIGTERM, then closes the API, the database pool and the embedded
 * PostgreSQL in that order. Resolves when everything is stopped.
 */
async function serve(flags: ServeFlags): Promise<void> {
  const settings = loadSettings(process.env, flags);
  const logger = createLogger(settings.logLevel);
  const runtime = await openRuntime(settings, logger);
  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer(runtime.services, settings.host, settings.port);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  logger.info({ url: api.url, embedded: runtime.embedded }, `Tributary ready at ${api.url}`);
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

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the server (an embedded PostgreSQL when no database URL is set)')
    .option('--port <port>', 'HTTP port (TRIBUTARY_PORT, default 4000)')
    .option('--host <host>', 'address to bind (TRIBUTARY_HOST, default 127.0.0.1)')
    .option('--database-url <url>', 'target PostgreSQL URL (TRIBUTARY_DATABASE_URL; default: embedded)')
    .option('--data-dir <dir>', 'embedded database and generated key (TRIBUTARY_DATA_DIR, default ./.tributary)')
    .action(serve);
}
