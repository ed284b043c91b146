import { type DependencyContainer, container as root } from 'tsyringe';
import type { Settings } from './config.js';
import { ConnectorService } from './connectors/connector-service.js';
import { ConnectorStore } from './connectors/connector-store.js';
import type { Logger } from './logger.js';
import { MappingStore } from './mappings/mapping-store.js';
import { ConnectorEvents } from './replication/connector-events.js';
import { DeadLetterStore } from './replication/dead-letter-store.js';
import { OffsetStore } from './replication/offset-store.js';
import { ProgressStore } from './replication/progress-store.js';
import { ReplicationEngine } from './replication/replication-engine.js';
import { StateStore } from './replication/state-store.js';
import { StatsStore } from './replication/stats-store.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { PluginRegistration } from './sources/plugin-registration.js';
import { SourceRegistry } from './sources/source-registry.js';
import type { TypeMapRegistration } from './sources/type-map-registration.js';
import type { TargetDatabase } from './target/target-database.js';
import { LOGGER, SECRET_BOX, SETTINGS, SOURCE_PLUGIN, SOURCE_TYPE_MAP, TARGET_DATABASE } from './tokens.js';

export interface ContainerParts {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly database: TargetDatabase;
  readonly secretBox: SecretBox;
  /** Third-party plugins, already loaded and checked. */
  readonly plugins?: readonly PluginRegistration[];
  /** The built-in plugins, handed over by the entry point. */
  readonly builtins: readonly PluginRegistration[];
  /** The built-in type maps of sources not built yet, handed over by the entry point. */
  readonly typeMaps: readonly TypeMapRegistration[];
}

/**
 * The one composition root: a child container holding this server's values, every source plugin
 * under SOURCE_PLUGIN, every type map of a source not built yet under SOURCE_TYPE_MAP, and one
 * instance of each service.
 */
export function createContainer(parts: ContainerParts): DependencyContainer {
  const child = root.createChildContainer();
  child.register(SETTINGS, { useValue: parts.settings });
  child.register(LOGGER, { useValue: parts.logger });
  child.register(TARGET_DATABASE, { useValue: parts.database });
  child.register(SECRET_BOX, { useValue: parts.secretBox });
  for (const registration of [...parts.builtins, ...(parts.plugins ?? [])]) {
    child.register(SOURCE_PLUGIN, { useValue: registration });
  }
  for (const typeMap of parts.typeMaps) {
    child.register(SOURCE_TYPE_MAP, { useValue: typeMap });
  }
  child.registerSingleton(SourceRegistry);
  child.registerSingleton(ConnectorStore);
  child.registerSingleton(ConnectorService);
  child.registerSingleton(OffsetStore);
  child.registerSingleton(StateStore);
  child.registerSingleton(StatsStore);
  child.registerSingleton(DeadLetterStore);
  child.registerSingleton(ProgressStore);
  child.registerSingleton(ConnectorEvents);
  child.registerSingleton(ReplicationEngine);
  child.registerSingleton(MappingStore);
  return child;
}
