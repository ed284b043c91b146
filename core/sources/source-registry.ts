import { injectAll, injectable } from 'tsyringe';
import { ConfigError, UnsupportedError } from '../errors.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import { SOURCE_PLUGIN, SOURCE_TYPE_MAP } from '../tokens.js';
import type { PluginRegistration } from './plugin-registration.js';
import type { TypeMapRegistration } from './type-map-registration.js';

/**
 * Every registered source plugin, by kind, plus the type maps of sources whose capture is not built
 * yet (consulted only by `typeMap`, only for a kind no plugin has). Refuses two plugins of one kind
 * at construction.
 */
@injectable()
export class SourceRegistry {
  private readonly byKind = new Map<string, PluginRegistration>();
  private readonly typeMaps = new Map<string, TypeMapRegistration>();

  constructor(
    @injectAll(SOURCE_PLUGIN) registrations: PluginRegistration[],
    @injectAll(SOURCE_TYPE_MAP, { isOptional: true }) typeMaps: TypeMapRegistration[] = [],
  ) {
    for (const registration of registrations) {
      const existing = this.byKind.get(registration.plugin.kind);
      if (existing) {
        throw new ConfigError(
          `source plugin kind "${registration.plugin.kind}" from ${registration.origin} duplicates the one from ${existing.origin}`,
        );
      }
      this.byKind.set(registration.plugin.kind, registration);
    }
    for (const typeMap of typeMaps) {
      if (!this.typeMaps.has(typeMap.kind)) this.typeMaps.set(typeMap.kind, typeMap);
    }
  }

  list(): SourcePlugin[] {
    return [...this.byKind.values()].map((registration) => registration.plugin);
  }

  /** Throws UNSUPPORTED naming the known kinds. */
  get(kind: string): SourcePlugin {
    const registration = this.byKind.get(kind);
    if (!registration) {
      throw new UnsupportedError(
        `unknown source type "${kind}"; available types: ${[...this.byKind.keys()].join(', ')}`,
      );
    }
    return registration.plugin;
  }

  /**
   * The default type map of a kind: the registered plugin's, else the map of a source whose capture
   * is not built yet. Throws UNSUPPORTED naming every kind that has one.
   */
  typeMap(kind: string): Pick<SourcePlugin, 'defaultTargetType'> {
    const registration = this.byKind.get(kind);
    if (registration) return registration.plugin;
    const typeMap = this.typeMaps.get(kind);
    if (typeMap) return typeMap;
    const known = new Set([...this.byKind.keys(), ...this.typeMaps.keys()]);
    throw new UnsupportedError(`unknown source type "${kind}"; available types: ${[...known].join(', ')}`);
  }
}
