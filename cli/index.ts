/**
 * The programmatic API, exported as the package root (`tributary`): open a runtime with the
 * built-in sources, serve its GraphQL API, or run the whole server as `tributary serve` does.
 */
import 'reflect-metadata';

export { loadSettings, type Settings } from '../core/config.js';
export { createLogger, type Logger } from '../core/logger.js';
export { openRuntime, type Runtime } from '../core/runtime.js';
export type { BuiltinSources } from '../core/sources/builtin-sources.js';
export { builtinSources } from '../plugins/builtin.js';
export { type ApiServer, startApiServer } from '../schema/server.js';
export { type ServeFlags, serve } from './serve.js';
