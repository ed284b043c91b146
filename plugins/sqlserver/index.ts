import { defineSourcePlugin, PLUGIN_API_VERSION, SNAPSHOT_MODES } from '../../core/plugin/index.js';
import { type SqlServerConfig, sqlServerConfigSchema } from './config.js';
import { validateOffset } from './offset.js';
import { defaultTargetType } from './type-defaults.js';

/**
 * The SQL Server source: snapshots in a SNAPSHOT transaction pinned under brief shared table locks
 * at the log end LSN (an exact hand-off), then polls the CDC change tables
 * (`cdc.fn_cdc_get_all_changes_<instance>`) merged in commit order. See README.md.
 */
export const sqlServerPlugin = defineSourcePlugin<SqlServerConfig>({
  apiVersion: PLUGIN_API_VERSION,
  kind: 'sqlserver',
  title: 'SQL Server',
  configSchema: sqlServerConfigSchema,
  capabilities: { handoff: 'exact', schemaChanges: 'streamed' },
  snapshotModes: SNAPSHOT_MODES,
  hasSchemas: true,
  defaultTargetType,
  validateOffset,
  /** CDC is enabled by the DBA (as in SynchDB/Debezium): nothing is created at the source. */
  captureArtifacts: () => [],
  async connect(config, context) {
    const { connectSqlServer } = await import('./connection.js');
    return connectSqlServer(config, context);
  },
});

export type { SqlServerConfig } from './config.js';
export { formatLsn, parseLsn } from './offset.js';
