import {
  defineSourcePlugin,
  PLUGIN_API_VERSION,
  SNAPSHOT_MODES,
  type SourcePlugin,
} from '../../core/plugin/index.js';
import type { OracleSessionFactory } from './client/session.js';
import { dropFlushTable, flushTableName } from './client/sql.js';
import { type OracleConfig, oracleConfigSchema } from './config.js';
import { validateOffset } from './offset.js';
import { defaultTargetType } from './type-defaults.js';

/**
 * The Oracle source over sessions from `open`: a flashback snapshot (`AS OF SCN`), then LogMiner
 * (online catalog) mined in SCN windows, with DDL re-described from the catalog. See README.md.
 * `oraclePlugin` opens sessions with the `oracledb` thin driver; tests pass the LogMiner model.
 */
export function createOraclePlugin(open: OracleSessionFactory | null = null): SourcePlugin<OracleConfig> {
  return defineSourcePlugin<OracleConfig>({
    apiVersion: PLUGIN_API_VERSION,
    kind: 'oracle',
    title: 'Oracle',
    configSchema: oracleConfigSchema,
    capabilities: { handoff: 'exact', schemaChanges: 'streamed' },
    snapshotModes: SNAPSHOT_MODES,
    hasSchemas: true,
    defaultTargetType,
    validateOffset,
    captureArtifacts: (config, connectorName) => {
      const owner = config.user.toUpperCase();
      const table = flushTableName(connectorName);
      return [
        {
          kind: 'table',
          name: `${owner}.${table}`,
          dropStatement: dropFlushTable(owner, table),
          note: 'the redo flush table (one row)',
        },
      ];
    },
    async connect(config, context) {
      const { connectOracle } = await import('./connection.js');
      const factory = open ?? (await import('./client/oracledb-session.js')).openOracledbSession;
      return connectOracle(config, context, factory);
    },
  });
}

export const oraclePlugin = createOraclePlugin();

export type { OracleSession, OracleSessionFactory } from './client/session.js';
export type { OracleConfig } from './config.js';
export { formatOffset, fromDebeziumOffset, parseOffset } from './offset.js';
