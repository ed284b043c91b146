import { ConfigError } from '../errors.js';
import { assertSourcePlugin } from './assert-source-plugin.js';
import type { PluginRegistration } from './plugin-registration.js';

/**
 * Imports third-party plugin packages by name. A package exports its plugin as `default` or as
 * `plugin`, or several as `plugins`. Throws ConfigError naming the package when it cannot be
 * imported or exports something that is not a plugin.
 */
export async function loadPluginPackages(
  names: readonly string[],
  importModule: (name: string) => Promise<unknown> = (name) => import(name),
): Promise<PluginRegistration[]> {
  const registrations: PluginRegistration[] = [];
  for (const name of names) {
    let module: Record<string, unknown>;
    try {
      module = (await importModule(name)) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(
        `cannot load source plugin package "${name}" (TRIBUTARY_PLUGINS): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const exported = module.plugins ?? module.plugin ?? module.default;
    const candidates = Array.isArray(exported) ? exported : [exported];
    for (const candidate of candidates) {
      assertSourcePlugin(candidate, `package "${name}"`);
      registrations.push({ plugin: candidate, origin: `package "${name}"` });
    }
  }
  return registrations;
}
