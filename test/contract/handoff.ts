import { describe, expect, it } from 'vitest';
import type { Row } from '../../core/plugin/index.js';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractTarget } from './contract-target.js';
import { applyByKey } from './replica-model.js';
import { type DataEvent, dataEvents, isDataEvent, readEvents } from './stream-reader.js';

/** The snapshot and the stream meet: together they reproduce the source, whatever the handoff. */
export function describeHandoff(setup: () => Promise<ContractTarget>): void {
  describe('handoff', () => {
    it('reproduces the source when the snapshot is followed by the stream from its start offset', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      const { source } = context;
      await source.insert(
        table.ref,
        [1, 2, 3, 4, 5, 6].map((id) => ({ id, name: `v1 ${id}` })),
      );
      await using capture = await context.connection.startCapture([table]);
      const replica = new Map<unknown, Row>();
      const batches = capture
        .readTable(table, { batchSize: 2, signal: context.signal })
        [Symbol.asyncIterator]();

      const first = await batches.next();
      for (const row of first.value ?? []) replica.set(row.id, row);
      await source.update(table.ref, { id: 5 }, { name: 'v2 5' });
      await source.delete(table.ref, { id: 6 });
      await source.insert(table.ref, [{ id: 7, name: 'v1 7' }]);
      await source.update(table.ref, { id: 1 }, { id: 8 });
      for (let batch = await batches.next(); !batch.done; batch = await batches.next()) {
        for (const row of batch.value) replica.set(row.id, row);
      }
      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(4),
      });
      for (const event of events.filter(isDataEvent)) applyByKey(replica, event);

      expect([...replica.values()].sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
        { id: 2, name: 'v1 2' },
        { id: 3, name: 'v1 3' },
        { id: 4, name: 'v1 4' },
        { id: 5, name: 'v2 5' },
        { id: 7, name: 'v1 7' },
        { id: 8, name: 'v1 1' },
      ]);
    });

    it('gives every change a commitOffset no greater than its checkpoint', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, [{ id: 1, name: 'a' }]);
      await context.source.transaction([
        { op: 'update', table: table.ref, key: { id: 1 }, values: { name: 'b' } },
        { op: 'insert', table: table.ref, rows: [{ id: 2, name: 'c' }] },
      ]);
      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(3),
      });
      let pending: DataEvent[] = [];
      for (const event of events) {
        if (isDataEvent(event)) pending.push(event);
        else if (event.kind === 'checkpoint') {
          for (const change of pending) {
            expect(change.commitOffset > capture.startOffset).toBe(true);
            expect(change.commitOffset <= event.offset).toBe(true);
          }
          pending = [];
        }
      }
      expect(events.filter(isDataEvent)).toHaveLength(3);
    });

    it('pins a newer snapshot in a second session that contains exactly the changes at or before its offset', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using first = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, [{ id: 1, name: 'before second' }]);
      await using second = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, [{ id: 2, name: 'after second' }]);
      expect(second.startOffset >= first.startOffset).toBe(true);

      const copied: Row[] = [];
      for await (const batch of second.readTable(table, { batchSize: 10, signal: context.signal }))
        copied.push(...batch);
      expect(copied.map((row) => row.id)).toEqual([1]);

      const events = await readEvents(context.connection, first.startOffset, {
        tables: [table],
        until: dataEvents(2),
      });
      const changes = events.filter(isDataEvent);
      expect(
        changes.map((change) => [
          change.kind === 'change' ? change.after?.id : null,
          change.commitOffset <= second.startOffset,
        ]),
      ).toEqual([
        [1, true],
        [2, false],
      ]);
    });
  });
}
