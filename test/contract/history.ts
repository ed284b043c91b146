import { describe, expect, it } from 'vitest';
import { HistoryLostError, type SourceConnection, type SourceTable } from '../../core/plugin/index.js';
import { ITEM_COLUMNS, openContract } from './contract-context.js';
import type { ContractOptions, ContractTarget } from './contract-target.js';
import { dataEvents, readEvents, type Transaction, transactions } from './stream-reader.js';

async function readTransactions(
  connection: SourceConnection,
  from: string,
  table: SourceTable,
  count: number,
): Promise<Transaction[]> {
  return transactions(await readEvents(connection, from, { tables: [table], until: dataEvents(count) }));
}

/** `ack` and `dropCapture`: what history the source keeps, and the named error when it is gone. */
export function describeHistory(setup: () => Promise<ContractTarget>, options: ContractOptions): void {
  describe('history', () => {
    it('keeps delivering the changes after an acknowledged offset', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      for (const id of [1, 2, 3]) await context.source.insert(table.ref, [{ id, name: 'x' }]);
      const all = await readTransactions(context.connection, capture.startOffset, table, 3);
      const acked = all[0]?.checkpoint ?? '';

      await context.connection.ack(acked);

      expect(await readTransactions(context.connection, acked, table, 2)).toEqual(all.slice(1));
    });

    it('throws HistoryLostError or replays everything when reading from before acknowledged history', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using capture = await context.connection.startCapture([table]);
      for (const id of [1, 2, 3]) await context.source.insert(table.ref, [{ id, name: 'x' }]);
      const all = await readTransactions(context.connection, capture.startOffset, table, 3);
      await context.connection.ack(all[1]?.checkpoint ?? '');

      const outcome = await readTransactions(context.connection, capture.startOffset, table, 3).catch(
        (error: unknown) => error,
      );

      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(HistoryLostError);
      else expect(outcome).toEqual(all);
    });

    if (options.dropCaptureLosesHistory ?? true) {
      it('throws HistoryLostError when reading after dropCapture', async () => {
        await using context = await openContract(setup);
        const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
        await using capture = await context.connection.startCapture([table]);
        await context.source.insert(table.ref, [{ id: 1, name: 'x' }]);

        await context.connection.dropCapture();

        await expect(
          readTransactions(context.connection, capture.startOffset, table, 1),
        ).rejects.toBeInstanceOf(HistoryLostError);
      });
    }

    it('drops the capture idempotently', async () => {
      await using context = await openContract(setup);
      const table = await context.createTable('items', ITEM_COLUMNS, ['id']);
      await using _capture = await context.connection.startCapture([table]);

      await context.connection.dropCapture();

      await expect(context.connection.dropCapture()).resolves.toBeUndefined();
    });
  });
}
