import { defineSourcePlugin, PLUGIN_API_VERSION, SNAPSHOT_MODES } from '../../core/plugin/index.js';
import { type MysqlConfig, mysqlConfigSchema } from './config.js';
import { validateOffset } from './offset.js';
import { defaultTargetType } from './type-defaults.js';

/**
 * The MySQL / MariaDB source: snapshots inside `START TRANSACTION WITH CONSISTENT SNAPSHOT` at a
 * known binary log position, then streams the row-based binary log (ZongJi on mysql2), with DDL
 * replayed from QUERY events. See README.md.
 */
export const mysqlPlugin = defineSourcePlugin<MysqlConfig>({
  apiVersion: PLUGIN_API_VERSION,
  kind: 'mysql',
  title: 'MySQL / MariaDB',
  configSchema: mysqlConfigSchema,
  capabilities: { handoff: 'exact', schemaChanges: 'streamed' },
  snapshotModes: SNAPSHOT_MODES,
  hasSchemas: false,
  defaultTargetType,
  validateOffset,
  /** The capture is the server's binary log: nothing is created at the source. */
  captureArtifacts: () => [],
  async connect(config, context) {
    const { connectMysql } = await import('./connection.js');
    return connectMysql(config, context);
  },
});

export type { MysqlConfig } from './config.js';
export { formatOffset, parseOffset } from './offset.js';
