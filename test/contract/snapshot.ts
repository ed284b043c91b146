import { describe, expect, it } from 'vitest';
import type { CaptureSession, ReadTableOptions, Row, SourceTable } from '../../core/plugin/index.js';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractOptions, ContractTarget } from './contract-target.js';

async function readBatches(
  capture: CaptureSession,
  table: SourceTable,
  options: Omit<ReadTableOptions, 'signal'> & { signal?: AbortSignal },
): Promise<(readonly Row[])[]> {
  const batches: (readonly Row[])[] = [];
  const signal = options.signal ?? new AbortController().signal;
  for await (const batch of capture.readTable(table, { ...options, signal })) batches.push(batch);
  return batches;
}

const items = (ids: readonly number[]) => ids.map((id) => ({ id, name: `item ${id}` }));

/** `startCapture` and `readTable`: the snapshot half of the handoff. */
export function describeSnapshot(setup: () => Promise<ContractTarget>, options: ContractOptions = {}): void {
  const booleans = options.booleanColumns !== false;
  describe('snapshot', () => {
    it('reads every row in primary-key order', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, items([3, 10, 1, 2]));
      await using capture = await context.connection.startCapture([table]);

      const rows = (await readBatches(capture, table, { batchSize: 100 })).flat();

      expect(rows).toEqual(items([1, 2, 3, 10]));
    });

    it('resumes exactly after the given afterKey', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, items([1, 2, 3, 4, 5, 6, 7]));
      await using capture = await context.connection.startCapture([table]);

      const rows = (await readBatches(capture, table, { batchSize: 2, afterKey: [4] })).flat();

      expect(rows.map((row) => row.id)).toEqual([5, 6, 7]);
    });

    it('never yields a batch larger than batchSize', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, items([1, 2, 3, 4, 5, 6, 7]));
      await using capture = await context.connection.startCapture([table]);

      const batches = await readBatches(capture, table, { batchSize: 3 });

      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(3);
      expect(batches.flat().map((row) => row.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('reads nothing from an empty table', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);

      expect((await readBatches(capture, table, { batchSize: 10 })).flat()).toEqual([]);
    });

    it('reads the table as of the start offset, not later changes', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, items([1, 2]));
      await using capture = await context.connection.startCapture([table]);
      await context.source.insert(table.ref, items([3]));
      await context.source.delete(table.ref, { id: 1 });

      const rows = (await readBatches(capture, table, { batchSize: 10 })).flat();

      if (context.plugin.capabilities.handoff === 'exact') expect(rows).toEqual(items([1, 2]));
      else expect(rows).toContainEqual(items([2])[0]);
    });

    it('stops reading with an error once the signal aborts', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await context.source.insert(table.ref, items([1, 2, 3, 4, 5, 6]));
      await using capture = await context.connection.startCapture([table]);
      const controller = new AbortController();
      const seen: Row[] = [];

      const reading = (async () => {
        for await (const batch of capture.readTable(table, { batchSize: 2, signal: controller.signal })) {
          seen.push(...batch);
          controller.abort();
        }
      })();

      await expect(reading).rejects.toThrow();
      expect(seen.length).toBeLessThan(6);
    });

    it('reads values in their normalised SourceValue forms', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable(
        'typed',
        [
          { name: 'id', type: 'integer' },
          { name: 'amount', type: 'decimal' },
          ...(booleans ? [{ name: 'flag', type: 'boolean' } as const] : []),
          { name: 'at', type: 'timestamp' },
          { name: 'note', type: 'text' },
        ],
        ['id'],
      );
      await context.source.insert(table.ref, [
        {
          id: 1,
          amount: '12.50',
          ...(booleans ? { flag: true } : {}),
          at: '2024-01-02 03:04:05',
          note: null,
        },
      ]);
      await using capture = await context.connection.startCapture([table]);

      const [row] = (await readBatches(capture, table, { batchSize: 10 })).flat();

      expect(row?.id).toBe(1);
      expect(typeof row?.amount).toBe('string');
      expect(Number(row?.amount)).toBe(12.5);
      if (booleans) expect(row?.flag).toBe(true);
      expect(String(row?.at)).toMatch(/^2024-01-02[ T]03:04:05/);
      expect(row?.note).toBeNull();
    });
  });
}
