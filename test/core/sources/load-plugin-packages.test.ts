import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/errors.js';
import { assertSourcePlugin } from '../../../core/sources/assert-source-plugin.js';
import { loadPluginPackages } from '../../../core/sources/load-plugin-packages.js';
import { memoryPlugin } from '../../../plugins/memory/index.js';
import { fixturePlugin } from '../../support/fixture-plugins.js';

describe('loadPluginPackages', () => {
  it('loads a third-party plugin package by name', async () => {
    const [registration, ...rest] = await loadPluginPackages([fixturePlugin('echo-source')]);
    expect(rest).toEqual([]);
    expect(registration?.plugin.kind).toBe('echo');
    expect(registration?.origin).toBe(`package "${fixturePlugin('echo-source')}"`);
  });

  it('refuses a plugin built for another apiVersion, naming the package', async () => {
    const name = fixturePlugin('old-api');
    await expect(loadPluginPackages([name])).rejects.toThrow(ConfigError);
    await expect(loadPluginPackages([name])).rejects.toThrow(
      `source plugin from package "${name}": apiVersion 0 is not supported; this Tributary implements apiVersion 1`,
    );
  });

  it('reports a package that cannot be imported', async () => {
    await expect(loadPluginPackages(['tributary-no-such-plugin'])).rejects.toThrow(
      /cannot load source plugin package "tributary-no-such-plugin" \(TRIBUTARY_PLUGINS\)/,
    );
    await expect(loadPluginPackages([fixturePlugin('broken')])).rejects.toThrow(
      /this package fails while loading/,
    );
  });
});

describe('assertSourcePlugin', () => {
  it('accepts the built-in memory plugin', () => {
    expect(() => assertSourcePlugin(memoryPlugin, 'built-in')).not.toThrow();
  });

  const broken: [string, Record<string, unknown>, RegExp][] = [
    ['a kind with capitals', { kind: 'MySource' }, /kind must be a lower-case identifier/],
    ['a missing connect', { connect: undefined }, /connect must be a function/],
    ['an unknown snapshot mode', { snapshotModes: ['initial', 'sometimes'] }, /snapshotModes must be/],
    ['no config schema', { configSchema: {} }, /configSchema must be a zod schema/],
    ['a bad handoff', { capabilities: { handoff: 'maybe', schemaChanges: 'none' } }, /capabilities.handoff/],
  ];
  it.each(broken)('refuses %s', (_what, change, message) => {
    expect(() => assertSourcePlugin({ ...memoryPlugin, ...change }, 'package "x"')).toThrow(message);
  });
});
