import { describe, expect, it } from 'vitest';
import type { RowChange, SchemaChange, SourceEvent } from '../../core/plugin/index.js';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractOptions, ContractTarget } from './contract-target.js';
import { dataEvents, readEvents, summariseAll } from './stream-reader.js';

const isChange = (event: SourceEvent): event is RowChange => event.kind === 'change';

/** What each kind of source change looks like on the stream. */
export function describeChangeKinds(
  setup: () => Promise<ContractTarget>,
  options: ContractOptions = {},
): void {
  const booleans = options.booleanColumns !== false;
  describe('change kinds', () => {
    it('delivers an added column as a SchemaChange before the first row that uses it', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      await context.source.addColumn(table.ref, { name: 'note', type: 'text' });
      await context.source.insert(table.ref, [{ id: 1, name: 'one', note: 'new shape' }]);

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(1),
      });

      const rowIndex = events.findIndex((event) => isChange(event) && event.after?.note === 'new shape');
      const schemaIndex = events.findIndex(
        (event) => event.kind === 'schema' && event.table.columns.some((column) => column.name === 'note'),
      );
      expect(rowIndex).toBeGreaterThanOrEqual(0);
      if (context.plugin.capabilities.schemaChanges === 'none') {
        expect(events.some((event) => event.kind === 'schema')).toBe(false);
        return;
      }
      expect(schemaIndex).toBeGreaterThanOrEqual(0);
      expect(schemaIndex).toBeLessThan(rowIndex);
      const change = events[schemaIndex] as SchemaChange;
      expect(change.action).toBe('alter');
      expect(change.table.ref).toEqual(table.ref);
      expect(change.table.columns.map((column) => [column.name, column.position])).toEqual([
        ['id', 1],
        ['name', 2],
        ['note', 3],
      ]);
    });

    it('carries the old key in before when an update changes the primary key', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, [{ id: 1, name: 'one' }]);
      await using capture = await context.connection.startCapture([table]);
      await context.source.update(table.ref, { id: 1 }, { id: 10 });

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(1),
      });

      const changes = events.filter(isChange);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ op: 'update', before: { id: 1 }, after: { id: 10, name: 'one' } });
      expect(changes[0]?.table).toEqual(table.ref);
    });

    it('carries the old key in before for a delete', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, [{ id: 7, name: 'seven' }]);
      await using capture = await context.connection.startCapture([table]);
      await context.source.delete(table.ref, { id: 7 });

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(1),
      });

      expect(events.filter(isChange)).toMatchObject([{ op: 'delete', before: { id: 7 } }]);
    });

    if (options.truncate ?? true) {
      it('delivers a truncate as a TruncateChange naming the table', async () => {
        await using context = await openContract(setup);
        const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
        await context.source.insert(table.ref, [{ id: 1, name: 'one' }]);
        await using capture = await context.connection.startCapture([table]);
        await context.source.truncate(table.ref);
        await context.source.insert(table.ref, [{ id: 2, name: 'two' }]);

        const events = await readEvents(context.connection, capture.startOffset, {
          tables: [table],
          until: dataEvents(2),
        });

        expect(summariseAll(events)).toEqual(['truncate items', 'insert items id=2']);
        expect(events.find((event) => event.kind === 'truncate')).toMatchObject({ tables: [table.ref] });
      });
    }

    it('streams values in their normalised SourceValue forms', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable(
        'typed',
        [
          { name: 'id', type: 'integer' },
          { name: 'amount', type: 'decimal' },
          ...(booleans ? [{ name: 'flag', type: 'boolean' } as const] : []),
          { name: 'at', type: 'timestamp' },
        ],
        ['id'],
      );
      await using capture = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, [
        { id: 1, amount: '12.50', ...(booleans ? { flag: false } : {}), at: '2024-01-02 03:04:05' },
      ]);

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(1),
      });

      const after = events.find(isChange)?.after;
      expect(after?.id).toBe(1);
      expect(typeof after?.amount).toBe('string');
      expect(Number(after?.amount)).toBe(12.5);
      if (booleans) expect(after?.flag).toBe(false);
      expect(String(after?.at)).toMatch(/^2024-01-02[ T]03:04:05/);
    });
  });
}
