import type { PluginRegistration } from './plugin-registration.js';
import type { TypeMapRegistration } from './type-map-registration.js';

/**
 * The sources shipped with the server, handed to the runtime by the entry point (core never imports
 * a plugin): the plugins, and the type maps of source kinds whose capture is not built yet.
 */
export interface BuiltinSources {
  readonly plugins: readonly PluginRegistration[];
  readonly typeMaps: readonly TypeMapRegistration[];
}
