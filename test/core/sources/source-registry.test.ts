import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../core/config.js';
import { createContainer } from '../../../core/container.js';
import { ConfigError, UnsupportedError } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import { generateKey, SecretBox } from '../../../core/secrets/secret-box.js';
import { SourceRegistry } from '../../../core/sources/source-registry.js';
import type { TargetDatabase } from '../../../core/target/target-database.js';
import { builtinPlugins, builtinTypeMaps } from '../../../plugins/builtin.js';
import { memoryPlugin } from '../../../plugins/memory/index.js';

const parts = () => ({
  settings: loadSettings({}),
  logger: createLogger('silent'),
  // The registry never touches the database; no connection is opened by resolving it.
  database: {} as TargetDatabase,
  secretBox: new SecretBox(generateKey()),
  builtins: builtinPlugins,
  typeMaps: builtinTypeMaps,
});

describe('SourceRegistry', () => {
  it('resolves every built-in plugin from a fresh container', () => {
    const registry = createContainer(parts()).resolve(SourceRegistry);
    expect(registry.list().map((plugin) => plugin.kind)).toEqual(builtinPlugins.map((r) => r.plugin.kind));
    for (const { plugin } of builtinPlugins) expect(registry.get(plugin.kind)).toBe(plugin);
  });

  it('gives one registry per container', () => {
    const container = createContainer(parts());
    expect(container.resolve(SourceRegistry)).toBe(container.resolve(SourceRegistry));
    expect(createContainer(parts()).resolve(SourceRegistry)).not.toBe(container.resolve(SourceRegistry));
  });

  it('refuses a second plugin of the same kind, naming both origins', () => {
    const container = createContainer({
      ...parts(),
      plugins: [{ plugin: memoryPlugin, origin: 'package "fake-memory"' }],
    });
    expect(() => container.resolve(SourceRegistry)).toThrow(ConfigError);
    expect(() => container.resolve(SourceRegistry)).toThrow(
      /kind "memory" from package "fake-memory" duplicates the one from built-in/,
    );
  });

  it('answers UNSUPPORTED for an unknown kind, listing the known ones', () => {
    const registry = createContainer(parts()).resolve(SourceRegistry);
    expect(() => registry.get('db2')).toThrow(UnsupportedError);
    expect(() => registry.get('db2')).toThrow(
      /unknown source type "db2"; available types: postgres, mysql, memory/,
    );
  });

  it('answers a type map for every plugin, and for the sources not built yet', () => {
    const registry = createContainer(parts()).resolve(SourceRegistry);
    for (const { plugin } of builtinPlugins) expect(registry.typeMap(plugin.kind)).toBe(plugin);
    for (const typeMap of builtinTypeMaps) {
      const plugin = builtinPlugins.find((registration) => registration.plugin.kind === typeMap.kind)?.plugin;
      expect(registry.typeMap(typeMap.kind)).toBe(plugin ?? typeMap);
    }
    // every source Tributary names is a plugin now: no kind is a type map only
    expect(builtinTypeMaps).toEqual([]);
  });

  it('neither lists nor gets a source that has only a type map', () => {
    const registry = createContainer({
      ...parts(),
      typeMaps: [{ kind: 'db2', title: 'Db2', defaultTargetType: () => 'text' }],
    }).resolve(SourceRegistry);
    expect(registry.typeMap('db2').defaultTargetType({ name: 'c', type: 'x', nullable: true } as never)).toBe(
      'text',
    );
    expect(registry.list().map((plugin) => plugin.kind)).not.toContain('db2');
    expect(() => registry.get('db2')).toThrow(UnsupportedError);
    expect(() => registry.get('db2')).toThrow(
      /unknown source type "db2"; available types: postgres, mysql, memory, oracle, sqlserver$/,
    );
  });

  it('prefers a registered plugin to a type map of the same kind', () => {
    const registry = createContainer({
      ...parts(),
      typeMaps: [{ kind: 'memory', title: 'shadow', defaultTargetType: () => 'shadowed' }],
    }).resolve(SourceRegistry);
    expect(registry.typeMap('memory')).toBe(memoryPlugin);
  });

  it('answers UNSUPPORTED from typeMap for an unknown kind, listing plugins and type maps', () => {
    const registry = createContainer(parts()).resolve(SourceRegistry);
    expect(() => registry.typeMap('db2')).toThrow(UnsupportedError);
    expect(() => registry.typeMap('db2')).toThrow(
      /unknown source type "db2"; available types: postgres, mysql, memory, oracle, sqlserver$/,
    );
  });

  it('resolves with no type maps registered', () => {
    const registry = createContainer({ ...parts(), typeMaps: [] }).resolve(SourceRegistry);
    expect(() => registry.typeMap('db2')).toThrow(UnsupportedError);
    expect(registry.typeMap('memory')).toBe(memoryPlugin);
  });
});
