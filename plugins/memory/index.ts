import { defineSourcePlugin, PLUGIN_API_VERSION, SNAPSHOT_MODES } from '../../core/plugin/index.js';
import { type MemoryConfig, memoryConfigSchema } from './config.js';
import { validateOffset } from './offset.js';
import { defaultTargetType } from './type-defaults.js';

/**
 * The in-memory reference plugin: the smallest complete implementation of the source-plugin
 * contract, reading a `MemoryDatabase` of this process. See README.md.
 */
export const memoryPlugin = defineSourcePlugin<MemoryConfig>({
  apiVersion: PLUGIN_API_VERSION,
  kind: 'memory',
  title: 'In-memory (reference plugin)',
  configSchema: memoryConfigSchema,
  capabilities: { handoff: 'exact', schemaChanges: 'streamed' },
  snapshotModes: SNAPSHOT_MODES,
  hasSchemas: false,
  defaultTargetType,
  validateOffset,
  async connect(config, context) {
    const { MemoryConnection } = await import('./connection.js');
    return new MemoryConnection(config, context);
  },
});

export type { MemoryConfig } from './config.js';
export { MemoryDatabase, type MemoryDatabaseSettings } from './database/memory-database.js';
export { dropMemoryDatabase, getMemoryDatabase, registerMemoryDatabase } from './database/memory-registry.js';
export type { MemoryTableSpec, MemoryTransaction } from './database/memory-transaction.js';
export { formatOffset, parseOffset } from './offset.js';
export type { MemoryColumnSpec, MemoryRowInput } from './schema/column-types.js';
