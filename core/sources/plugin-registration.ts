import type { SourcePlugin } from '../plugin/source-plugin.js';

/** A plugin together with where it came from, for error messages. */
export interface PluginRegistration {
  readonly plugin: SourcePlugin;
  /** `built-in` or the npm package name it was loaded from. */
  readonly origin: string;
}
