import type { DependencyContainer } from 'tsyringe';
import { AuditLog } from './audit/audit-log.js';
import { ConnectorService } from './connectors/connector-service.js';
import type { Logger } from './logger.js';
import { MappingStore } from './mappings/mapping-store.js';
import { ConnectorEvents } from './replication/connector-events.js';
import { DeadLetterStore } from './replication/dead-letter-store.js';
import { LiveStats } from './replication/live-stats.js';
import { ReplicationEngine } from './replication/replication-engine.js';
import { StateStore } from './replication/state-store.js';
import { StatsStore } from './replication/stats-store.js';
import { SourceRegistry } from './sources/source-registry.js';
import type { TargetDatabase } from './target/target-database.js';
import { LOGGER, TARGET_DATABASE } from './tokens.js';

/** What the API layer may use: handed to GraphQL resolvers through their context. */
export interface Services {
  readonly sources: SourceRegistry;
  readonly connectors: ConnectorService;
  readonly engine: ReplicationEngine;
  readonly events: ConnectorEvents;
  readonly state: StateStore;
  readonly stats: StatsStore;
  /** Stats and snapshot progress as every reader shows them: persisted plus in-flight. */
  readonly liveStats: LiveStats;
  readonly deadLetters: DeadLetterStore;
  readonly mappings: MappingStore;
  readonly database: TargetDatabase;
  readonly logger: Logger;
  readonly audit: AuditLog;
}

/** Resolves the services once, at startup; constructing the registry checks the plugins. */
export function resolveServices(container: DependencyContainer): Services {
  return {
    sources: container.resolve(SourceRegistry),
    connectors: container.resolve(ConnectorService),
    engine: container.resolve(ReplicationEngine),
    events: container.resolve(ConnectorEvents),
    state: container.resolve(StateStore),
    stats: container.resolve(StatsStore),
    liveStats: container.resolve(LiveStats),
    deadLetters: container.resolve(DeadLetterStore),
    mappings: container.resolve(MappingStore),
    database: container.resolve(TARGET_DATABASE),
    logger: container.resolve(LOGGER),
    audit: container.resolve(AuditLog),
  };
}
