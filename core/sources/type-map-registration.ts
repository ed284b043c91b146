import type { SourcePlugin } from '../plugin/source-plugin.js';

/**
 * The default type map of a source kind whose capture plugin is not built yet: enough for
 * `translateDataType` to answer, nothing a connector could run on. A registered plugin of the same
 * kind takes precedence.
 */
export interface TypeMapRegistration {
  readonly kind: string;
  readonly title: string;
  readonly defaultTargetType: SourcePlugin['defaultTargetType'];
}
