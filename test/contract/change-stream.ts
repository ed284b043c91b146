import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractTarget } from './contract-target.js';
import { checkpoints, dataEvents, readEvents, summariseAll, transactions } from './stream-reader.js';

/** `readChanges`: order, transactions, checkpoints, resuming, cancellation. */
export function describeChangeStream(setup: () => Promise<ContractTarget>): void {
  describe('change stream', () => {
    it('delivers every change after the start offset exactly once, in commit order', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      const { source } = context;
      await source.insert(table.ref, [{ id: 1, name: 'before capture' }]);
      await using capture = await context.connection.startCapture([table]);
      await source.insert(table.ref, [{ id: 2, name: 'two' }]);
      await source.update(table.ref, { id: 2 }, { name: 'two, renamed' });
      await source.delete(table.ref, { id: 1 });
      await source.insert(table.ref, [{ id: 3, name: 'three' }]);

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(4),
      });

      const expected = ['insert items id=2', 'update items id=2', 'delete items id=1', 'insert items id=3'];
      if (context.plugin.capabilities.handoff === 'exact') expect(summariseAll(events)).toEqual(expected);
      else expect(summariseAll(events).filter((line) => line !== 'insert items id=1')).toEqual(expected);
      const update = events.find((event) => event.kind === 'change' && event.op === 'update');
      expect(update).toMatchObject({ before: { id: 2 }, after: { id: 2, name: 'two, renamed' } });
    });

    it('does not deliver changes committed before startCapture', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, [{ id: 1, name: 'one' }]);
      await context.source.update(table.ref, { id: 1 }, { name: 'uno' });
      await using capture = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, [{ id: 2, name: 'two' }]);

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: (read) => summariseAll(read).includes('insert items id=2'),
      });

      const lines = summariseAll(events);
      if (context.plugin.capabilities.handoff === 'exact') expect(lines).toEqual(['insert items id=2']);
      else expect(lines.at(-1)).toBe('insert items id=2');
      expect(lines.filter((line) => line === 'insert items id=2')).toHaveLength(1);
    });

    it('ends each transaction with exactly one checkpoint', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      await context.source.transaction([
        { op: 'insert', table: table.ref, rows: [{ id: 1, name: 'one' }] },
        { op: 'insert', table: table.ref, rows: [{ id: 2, name: 'two' }] },
        { op: 'update', table: table.ref, key: { id: 1 }, values: { name: 'uno' } },
      ]);
      await context.source.delete(table.ref, { id: 2 });

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(4),
      });

      expect(transactions(events).map((tx) => summariseAll(tx.events))).toEqual([
        ['insert items id=1', 'insert items id=2', 'update items id=1'],
        ['delete items id=2'],
      ]);
      expect(events.at(-1)?.kind).toBe('checkpoint');
    });

    it('emits checkpoint offsets that strictly increase and compare correctly as strings', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      for (const id of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        await context.source.insert(table.ref, [{ id, name: 'x' }]);

      const events = await readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(11),
      });

      const offsets = [capture.startOffset, ...checkpoints(events).map((checkpoint) => checkpoint.offset)];
      expect(transactions(events)).toHaveLength(11);
      for (const [index, offset] of offsets.entries()) {
        if (index > 0) expect(offset > (offsets[index - 1] ?? '')).toBe(true);
      }
      expect([...offsets].sort()).toEqual(offsets);
    });

    it('yields only later events when reading again from a mid-stream checkpoint', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      for (const id of [1, 2, 3]) await context.source.insert(table.ref, [{ id, name: 'x' }]);
      const first = transactions(
        await readEvents(context.connection, capture.startOffset, { tables: [table], until: dataEvents(3) }),
      );

      const resumeFrom = first[0]?.checkpoint ?? '';
      const again = await readEvents(context.connection, resumeFrom, {
        tables: [table],
        until: dataEvents(2),
      });

      expect(first).toHaveLength(3);
      expect(transactions(again)).toEqual(first.slice(1));
    });

    it('delivers commits made while the stream waits', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);

      const reading = readEvents(context.connection, capture.startOffset, {
        tables: [table],
        until: dataEvents(1),
      });
      await sleep(50);
      await context.source.insert(table.ref, [{ id: 1, name: 'late' }]);

      expect(summariseAll(await reading)).toEqual(['insert items id=1']);
    });

    it('ends promptly when the signal aborts', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, [{ id: 1, name: 'one' }]);
      const controller = new AbortController();
      let seen = () => {};
      const firstEvent = new Promise<void>((resolve) => {
        seen = resolve;
      });
      const kinds: string[] = [];

      const reading = (async () => {
        const options = { tables: [table], signal: controller.signal };
        for await (const event of context.connection.readChanges(capture.startOffset, options)) {
          kinds.push(event.kind);
          seen();
        }
      })();
      await Promise.race([firstEvent, reading]);
      await sleep(50);
      controller.abort();
      const ended = await Promise.race([reading.then(() => 'ended'), sleep(2_000, 'still running')]);

      expect(ended).toBe('ended');
      expect(kinds).toContain('change');
    });
  });
}
