import type { Readable } from 'node:stream';
import type { Connection as CallbackConnection } from 'mysql2';
import type mysql from 'mysql2/promise';
import type { ReadTableOptions, Row, SourceTable, SourceValue } from '../../core/plugin/index.js';
import { quoteIdent, quoteTable } from './identifiers.js';
import { columnDecoders, snapshotTypeCast } from './value-codec.js';

/** Rows the driver may hold beyond the batch being built before the socket is paused. */
const HIGH_WATER_MARK = 1024;

/**
 * Streams a table's rows through `session` (which holds the consistent-snapshot transaction) in
 * primary-key order, in batches of `batchSize`. The driver's row stream has back-pressure: the
 * socket is paused while a batch waits for the consumer. Aborting destroys the stream and makes
 * the iteration throw.
 */
export async function* readTableRows(
  session: mysql.Connection,
  table: SourceTable,
  options: ReadTableOptions,
): AsyncGenerator<readonly Row[]> {
  const { text, values } = selectStatement(table, options.afterKey);
  // The promise wrapper's callback connection is the one that can stream with back-pressure.
  const { connection } = session as unknown as { connection: CallbackConnection };
  const stream: Readable = connection
    .query({ sql: text, values: [...values], rowsAsArray: true, typeCast: snapshotTypeCast })
    .stream({ highWaterMark: HIGH_WATER_MARK });
  const abort = () => stream.destroy(options.signal.reason ?? new Error('the table copy was aborted'));
  options.signal.addEventListener('abort', abort, { once: true });
  const names = table.columns.map((column) => column.name);
  const decode = columnDecoders(table.columns);
  try {
    options.signal.throwIfAborted();
    let batch: Row[] = [];
    for await (const raw of stream as AsyncIterable<unknown[]>) {
      const row: Record<string, SourceValue> = {};
      for (let i = 0; i < names.length; i++)
        row[names[i] as string] = (decode[i] as (v: unknown) => SourceValue)(raw[i]);
      batch.push(row);
      if (batch.length >= options.batchSize) {
        yield batch;
        batch = [];
      }
    }
    options.signal.throwIfAborted();
    if (batch.length > 0) yield batch;
  } finally {
    options.signal.removeEventListener('abort', abort);
    if (!stream.destroyed) stream.destroy();
  }
}

/** `SELECT cols FROM t [WHERE (pk) > (?)] ORDER BY pk`: every identifier quoted, values as parameters. */
export function selectStatement(
  table: SourceTable,
  afterKey?: readonly unknown[],
): { text: string; values: readonly unknown[] } {
  const columns = table.columns.map((column) => quoteIdent(column.name)).join(', ');
  const key = table.primaryKey.map(quoteIdent);
  let text = `SELECT ${columns} FROM ${quoteTable(table.ref.database, table.ref.name)}`;
  let values: readonly unknown[] = [];
  if (afterKey !== undefined) {
    if (key.length === 0) throw new Error(`${table.ref.name} has no primary key: a copy cannot resume`);
    text += ` WHERE (${key.join(', ')}) > (${key.map(() => '?').join(', ')})`;
    values = afterKey;
  }
  if (key.length > 0) text += ` ORDER BY ${key.join(', ')}`;
  return { text, values };
}
