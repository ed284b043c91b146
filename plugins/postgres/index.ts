import { defineSourcePlugin, PLUGIN_API_VERSION, SNAPSHOT_MODES } from '../../core/plugin/index.js';
import { type PostgresConfig, postgresConfigSchema } from './config.js';
import { validateOffset } from './offset.js';
import { captureArtifacts } from './pgoutput/capture-artifacts.js';
import { defaultTargetType } from './type-defaults.js';

/**
 * The PostgreSQL source: snapshots through an exported snapshot of a logical replication slot,
 * then streams the slot with pgoutput. See README.md.
 */
export const postgresPlugin = defineSourcePlugin<PostgresConfig>({
  apiVersion: PLUGIN_API_VERSION,
  kind: 'postgres',
  title: 'PostgreSQL',
  configSchema: postgresConfigSchema,
  capabilities: { handoff: 'exact', schemaChanges: 'streamed' },
  snapshotModes: SNAPSHOT_MODES,
  hasSchemas: true,
  defaultTargetType,
  validateOffset,
  captureArtifacts,
  async connect(config, context) {
    const { connectPostgres } = await import('./connection.js');
    return connectPostgres(config, context);
  },
});

export type { PostgresConfig } from './config.js';
export { formatOffset, parseOffset } from './offset.js';
