import { describe, expect, it } from 'vitest';
import { qualifiedName } from '../../core/plugin/kit.js';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractTarget } from './contract-target.js';

/** `discover()`: which tables, which columns, which key. */
export function describeDiscovery(setup: () => Promise<ContractTarget>): void {
  describe('discover', () => {
    it('returns the selected tables with columns in position order and the primary key', async () => {
      await using context = await openContract(setup);
      const ref = await context.source.createTable(
        'orders',
        [
          { name: 'id', type: 'integer' },
          { name: 'customer', type: 'text' },
          { name: 'total', type: 'decimal' },
          { name: 'paid', type: 'boolean' },
        ],
        ['id'],
      );
      await context.source.createTable('other', ITEM_COLUMNS, ['id']);

      const tables = await context.connection.discover([qualifiedName(ref)]);

      expect(tables).toHaveLength(1);
      const [orders] = tables;
      expect(orders?.ref).toEqual(ref);
      expect(orders?.columns.map((column) => column.name)).toEqual(['id', 'customer', 'total', 'paid']);
      expect(orders?.columns.map((column) => column.position)).toEqual([1, 2, 3, 4]);
      expect(orders?.primaryKey).toEqual(['id']);
      expect(orders?.columns[0]?.nullable).toBe(false);
    });

    it('lists composite primary keys in key order, not column order', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable(
        'lines',
        [
          { name: 'line', type: 'integer' },
          { name: 'order_id', type: 'integer' },
          { name: 'note', type: 'text' },
        ],
        ['order_id', 'line'],
      );
      expect(table.primaryKey).toEqual(['order_id', 'line']);
    });

    it('reports a table without a primary key with an empty key', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('events', ITEM_COLUMNS, []);
      expect(table.primaryKey).toEqual([]);
      expect(table.columns.map((column) => column.name)).toEqual(['id', 'name']);
    });

    it('omits unknown names', async () => {
      await using context = await openContract(setup);
      const ref = await context.source.createTable('known', ITEM_COLUMNS, ['id']);
      const unknown = qualifiedName({ ...ref, name: 'no_such_table' });

      const tables = await context.connection.discover([unknown, qualifiedName(ref)]);

      expect(tables.map((table) => table.ref)).toEqual([ref]);
    });

    it('estimates row counts, when it offers to, with one count or null per table in the order asked', async () => {
      await using context = await openContract(setup);
      if (!context.connection.estimateRows) return;
      const filled = await context.createTable('filled', ITEM_COLUMNS, ['id']);
      await context.source.insert(filled.ref, [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ]);
      const empty = await context.createTable('empty', ITEM_COLUMNS, ['id']);

      const estimates = await context.connection.estimateRows([empty, filled, empty]);

      expect(estimates).toHaveLength(3);
      for (const estimate of estimates) {
        if (estimate !== null) expect(Number.isInteger(estimate) && estimate >= 0).toBe(true);
      }
      expect(estimates[2]).toBe(estimates[0]);
    });

    it('lists every visible table when the selection is null', async () => {
      await using context = await openContract(setup);
      const first = await context.source.createTable('first_table', ITEM_COLUMNS, ['id']);
      const second = await context.source.createTable('second_table', ITEM_COLUMNS, []);

      const tables = await context.connection.discover(null);

      expect(tables.map((table) => table.ref)).toEqual(expect.arrayContaining([first, second]));
    });
  });
}
