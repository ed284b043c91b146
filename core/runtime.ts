import path from 'node:path';
import type { Settings } from './config.js';
import { createContainer } from './container.js';
import type { Logger } from './logger.js';
import { SecretBox } from './secrets/secret-box.js';
import { loadOrCreateKeyFile } from './secrets/secret-key-file.js';
import { resolveServices, type Services } from './services.js';
import type { BuiltinSources } from './sources/builtin-sources.js';
import { loadPluginPackages } from './sources/load-plugin-packages.js';
import { startEmbeddedPostgres } from './target/embedded-postgres.js';
import { migrate } from './target/migrate.js';
import { TargetDatabase } from './target/target-database.js';
import { warnAboutTargetPrivileges } from './target/target-privileges.js';

/** Everything a running server holds except its HTTP side. */
export interface Runtime extends AsyncDisposable {
  readonly services: Services;
  /** The target database URL in use (embedded or configured). Contains a password: never log it. */
  readonly databaseUrl: string;
  readonly embedded: boolean;
  /**
   * Starts the active connectors again (a paused one stays paused), once the API listens. In safe
   * mode none is started: they are logged and left stopped, still active for the next start.
   */
  launchConnectors(safeMode?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the runtime: the target database (starting the embedded one when no URL is set), the
 * secret key, migrations, plugins (the built-in ones handed over by the entry point, then the packages
 * named in the settings) and services. No connector runs until `launchConnectors`.
 * Anything already opened is closed again when a later step fails.
 */
export async function openRuntime(
  settings: Settings,
  logger: Logger,
  builtins: BuiltinSources,
): Promise<Runtime> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.reverse().splice(0)) await closeOne().catch(() => undefined);
  };
  try {
    const plugins = await loadPluginPackages(settings.plugins);
    const target = await openTargetUrl(settings, logger);
    closers.push(target.stop);
    const databaseUrl = target.url;
    const secretBox = new SecretBox(settings.secretKey ?? (await loadOrCreateKeyFile(settings.dataDir)));
    const database = new TargetDatabase(databaseUrl);
    closers.push(() => database.close());
    const applied = await migrate(database);
    if (applied.length > 0) logger.info({ versions: applied }, 'metadata schema migrated');
    await warnAboutTargetPrivileges(database, logger, settings.databaseUrl === null);
    const container = createContainer({
      settings,
      logger,
      database,
      secretBox,
      plugins,
      builtins: builtins.plugins,
      typeMaps: builtins.typeMaps,
    });
    const services = resolveServices(container);
    closers.push(() => services.engine.shutdown());
    return {
      services,
      databaseUrl,
      embedded: settings.databaseUrl === null,
      launchConnectors: (safeMode = false) =>
        safeMode ? leaveStopped(services, logger) : services.engine.relaunch(),
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Safe mode: the connectors a normal start would relaunch are shown STOPPED and named in the log. */
async function leaveStopped(services: Services, logger: Logger): Promise<void> {
  const left: string[] = [];
  for (const connector of await services.connectors.list()) {
    if (!connector.active) continue;
    const { paused } = await services.state.position(connector.name);
    await services.state.update(connector.name, { state: paused ? 'paused' : 'stopped' });
    left.push(connector.name);
  }
  logger.warn(
    { connectors: left },
    left.length > 0
      ? `safe mode: no connector started; left stopped: ${left.join(', ')} (start them with startConnector, or restart without safe mode)`
      : 'safe mode: no connector started (none is active)',
  );
}

/** The target database URL to use, with what stops it (the embedded server, when one was started). */
export interface TargetUrl {
  /** Contains a password: never log it. */
  readonly url: string;
  stop(): Promise<void>;
}

/** The configured target URL, or the embedded PostgreSQL in the data directory, started. */
export async function openTargetUrl(
  settings: Pick<Settings, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
): Promise<TargetUrl> {
  if (settings.databaseUrl !== null) return { url: settings.databaseUrl, stop: async () => undefined };
  const dir = path.join(settings.dataDir, 'postgres');
  logger.info({ dir }, 'starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dir,
    database: 'tributary',
    ownedRoot: settings.dataDir,
    settings: { wal_level: 'logical' },
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'embedded PostgreSQL'),
  });
  logger.info(
    { port: embedded.port, passwordFile: path.join(dir, 'pg-password') },
    'embedded PostgreSQL ready',
  );
  return { url: embedded.url, stop: () => embedded.stop() };
}
