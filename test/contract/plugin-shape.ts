import { describe, expect, it } from 'vitest';
import { PLUGIN_API_VERSION, SNAPSHOT_MODES } from '../../core/plugin/index.js';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractTarget } from './contract-target.js';

/** The plugin object, its config schema and `check()`. */
export function describePluginShape(setup: () => Promise<ContractTarget>): void {
  describe('plugin shape', () => {
    it('declares the current API version, a lower-case kind and a title', async () => {
      await using context = await openContract(setup);
      const { plugin } = context;
      expect(plugin.apiVersion).toBe(PLUGIN_API_VERSION);
      expect(plugin.kind).toMatch(/^[a-z][a-z0-9_-]*$/);
      expect(plugin.title.trim()).not.toBe('');
    });

    it('supports a non-empty subset of the known snapshot modes', async () => {
      await using context = await openContract(setup);
      const modes = context.plugin.snapshotModes;
      expect(modes.length).toBeGreaterThan(0);
      expect(new Set(modes).size).toBe(modes.length);
      for (const mode of modes) expect(SNAPSHOT_MODES).toContain(mode);
    });

    it('declares known capabilities', async () => {
      await using context = await openContract(setup);
      expect(context.plugin.capabilities.handoff).toBe('exact');
      expect(['streamed', 'none']).toContain(context.plugin.capabilities.schemaChanges);
    });

    it('gives a target type for every discovered column', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable(
        'typed',
        [...ITEM_COLUMNS, { name: 'total', type: 'decimal' }],
        ['id'],
      );
      const types = table.columns.map((column) => context.plugin.defaultTargetType(column));
      expect(types).toHaveLength(3);
      for (const type of types) expect(type).toMatch(/^[a-z]/);
    });
  });

  describe('config schema', () => {
    it('accepts the valid config', async () => {
      await using context = await openContract(setup);
      const { plugin } = context;
      const parsed = plugin.configSchema.safeParse(context.config);
      expect(parsed.error).toBeUndefined();
      expect(parsed.data?.database).toBe(context.config.database);
    });

    it('rejects a config without a host', async () => {
      await using context = await openContract(setup);
      const { host: _host, ...withoutHost } = context.config;
      const parsed = context.plugin.configSchema.safeParse(withoutHost);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain('host');
    });

    it('rejects a port out of range', async () => {
      await using context = await openContract(setup);
      for (const port of [0, 65536, 1.5]) {
        const parsed = context.plugin.configSchema.safeParse({ ...context.config, port });
        expect(parsed.success, `port ${port}`).toBe(false);
        expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain('port');
      }
    });
  });

  describe('check', () => {
    it('reports every prerequisite as met for a ready source', async () => {
      await using context = await openContract(setup);
      const checks = await context.connection.check();
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) {
        expect(check, check.name).toMatchObject({ ok: true, name: expect.stringMatching(/\S/) });
        expect(check.detail).toMatch(/\S/);
      }
    });
  });
}
