import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { ReadTableOptions, Row, SourceTable } from '../../../core/plugin/index.js';
import { onAbort } from '../../../core/plugin/on-abort.js';
import { quoteIdent, quoteLiteral, quoteTable } from '../client/identifiers.js';

/** Opens a session on the source; the reader owns it and ends it. */
export type OpenSession = (signal: AbortSignal) => Promise<pg.Client>;

/**
 * Reads one table inside an exported snapshot: each read runs on its own session, in a
 * `REPEATABLE READ READ ONLY` transaction that imports the snapshot (`SET TRANSACTION SNAPSHOT`),
 * so every read sees the source exactly as of the capture's start offset, however long it takes.
 */
export class SnapshotReader {
  constructor(
    private readonly snapshotName: string,
    private readonly open: OpenSession,
  ) {}

  /**
   * Rows in primary-key order (no order without a key) through a server-side cursor, `batchSize`
   * rows per FETCH, so one batch is in memory at a time. `afterKey` becomes the row comparison
   * `(k1, k2) > ($1, $2)`. Aborting ends the session and the iteration throws the signal's reason.
   */
  async *rows(table: SourceTable, options: ReadTableOptions): AsyncGenerator<readonly Row[]> {
    const { batchSize, signal, afterKey } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive whole number, got ${batchSize}`);
    }
    const key = table.primaryKey.map(quoteIdent);
    if (afterKey !== undefined && afterKey.length !== key.length) {
      throw new RangeError(
        key.length === 0
          ? `afterKey is not supported for ${quoteTable(table.ref)}: it has no primary key`
          : `afterKey must hold ${key.length} values (${table.primaryKey.join(', ')}), got ${afterKey.length}`,
      );
    }
    let text = `SELECT ${columnList(table, false)} FROM ${quoteTable(table.ref)}`;
    if (afterKey !== undefined) {
      text += ` WHERE (${key.join(', ')}) > (${key.map((_, index) => `$${index + 1}`).join(', ')})`;
    }
    if (key.length > 0) text += ` ORDER BY ${key.join(', ')}`;
    yield* this.inSnapshot(signal, async function* (client) {
      await client.query({
        text: `DECLARE tributary_rows NO SCROLL CURSOR FOR ${text}`,
        values: keyValues(afterKey),
      });
      for (;;) {
        const { rows } = await client.query<Row>(`FETCH FORWARD ${batchSize} FROM tributary_rows`);
        signal.throwIfAborted();
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) return;
      }
    });
  }

  /**
   * The table as `COPY (SELECT ...) TO STDOUT` text, in chunks as the driver receives them; the
   * socket is read only as fast as the consumer takes chunks. Money is copied as numeric, so the
   * text does not depend on either side's `lc_monetary`.
   */
  async *copy(table: SourceTable, signal: AbortSignal): AsyncGenerator<Buffer> {
    const text = `COPY (SELECT ${columnList(table, true)} FROM ${quoteTable(table.ref)}) TO STDOUT`;
    yield* this.inSnapshot(signal, async function* (client) {
      const stream = client.query(copyTo(text));
      for await (const chunk of stream) {
        signal.throwIfAborted();
        yield chunk as Buffer;
      }
    });
  }

  private async *inSnapshot<T>(
    signal: AbortSignal,
    read: (client: pg.Client) => AsyncGenerator<T>,
  ): AsyncGenerator<T> {
    signal.throwIfAborted();
    const client = await this.open(signal);
    const stop = () => void client.end().catch(() => undefined);
    const stopListening = onAbort(signal, stop);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(this.snapshotName)}`);
      yield* read(client);
      signal.throwIfAborted();
      await client.query('COMMIT');
    } catch (error) {
      signal.throwIfAborted();
      throw error;
    } finally {
      stopListening();
      await client.end().catch(() => undefined);
    }
  }
}

function columnList(table: SourceTable, moneyAsNumeric: boolean): string {
  return table.columns
    .map((column) => {
      const name = quoteIdent(column.name);
      return moneyAsNumeric && column.type === 'money' ? `${name}::numeric AS ${name}` : name;
    })
    .join(', ');
}

/** Key values as parameters; a Buffer that went through JSON (`{type: 'Buffer', data}`) is restored. */
function keyValues(afterKey: readonly unknown[] | undefined): unknown[] {
  return (afterKey ?? []).map((value) => {
    const buffer = value as { type?: unknown; data?: unknown } | null;
    return buffer?.type === 'Buffer' && Array.isArray(buffer.data)
      ? Buffer.from(buffer.data as number[])
      : value;
  });
}
