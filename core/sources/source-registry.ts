import { injectAll, injectable } from 'tsyringe';
import { ConfigError, UnsupportedError } from '../errors.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import { SOURCE_PLUGIN } from '../tokens.js';
import type { PluginRegistration } from './plugin-registration.js';

/** Every registered source plugin, by kind. Refuses two plugins of one kind at construction. */
@injectable()
export class SourceRegistry {
  private readonly byKind = new Map<string, PluginRegistration>();

  constructor(@injectAll(SOURCE_PLUGIN) registrations: PluginRegistration[]) {
    for (const registration of registrations) {
      const existing = this.byKind.get(registration.plugin.kind);
      if (existing) {
        throw new ConfigError(
          `source plugin kind "${registration.plugin.kind}" from ${registration.origin} duplicates the one from ${existing.origin}`,
        );
      }
      this.byKind.set(registration.plugin.kind, registration);
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
}
