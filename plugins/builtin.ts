import type { PluginRegistration } from '../core/sources/plugin-registration.js';
import { memoryPlugin } from './memory/index.js';
import { mysqlPlugin } from './mysql/index.js';
import { postgresPlugin } from './postgres/index.js';

/**
 * The source plugins shipped with Tributary. Loading this list loads no database driver: each
 * plugin imports its driver inside `connect`.
 */
export const builtinPlugins: readonly PluginRegistration[] = [
  { plugin: postgresPlugin, origin: 'built-in' },
  { plugin: mysqlPlugin, origin: 'built-in' },
  { plugin: memoryPlugin, origin: 'built-in' },
];
