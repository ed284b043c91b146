import type { BuiltinSources } from '../core/sources/builtin-sources.js';
import type { PluginRegistration } from '../core/sources/plugin-registration.js';
import type { TypeMapRegistration } from '../core/sources/type-map-registration.js';
import { memoryPlugin } from './memory/index.js';
import { mysqlPlugin } from './mysql/index.js';
import { oraclePlugin } from './oracle/index.js';
import { postgresPlugin } from './postgres/index.js';
import { sqlServerPlugin } from './sqlserver/index.js';

/**
 * The source plugins shipped with Tributary. Loading this list loads no database driver: each
 * plugin imports its driver inside `connect`.
 */
export const builtinPlugins: readonly PluginRegistration[] = [
  { plugin: postgresPlugin, origin: 'built-in' },
  { plugin: mysqlPlugin, origin: 'built-in' },
  { plugin: memoryPlugin, origin: 'built-in' },
  { plugin: oraclePlugin, origin: 'built-in' },
  { plugin: sqlServerPlugin, origin: 'built-in' },
];

/**
 * Default type maps of sources whose capture is not built yet (docs/synchdb-compatibility.md §4.6). They
 * answer `translateDataType` only: these kinds are not in `sourceTypes` and `addConnector` refuses them.
 */
export const builtinTypeMaps: readonly TypeMapRegistration[] = [];

/** Everything built in, as the entry point hands it to the runtime. */
export const builtinSources: BuiltinSources = { plugins: builtinPlugins, typeMaps: builtinTypeMaps };
