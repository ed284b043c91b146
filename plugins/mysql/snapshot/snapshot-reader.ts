import type { Readable } from 'node:stream';
import type { Connection as CallbackConnection } from 'mysql2';
import type mysql from 'mysql2/promise';
import type { ReadTableOptions, Row, SourceTable, SourceValue } from '../../../core/plugin/index.js';
import { toCopyField } from '../../../core/plugin/kit.js';
import { onAbort } from '../../../core/plugin/on-abort.js';
import { quoteIdent, quoteTable } from '../client/identifiers.js';
import { columnDecoders, GEOMETRY_TYPES, snapshotTypeCast } from '../client/value-codec.js';

/** Rows the driver may hold beyond the batch being built before the socket is paused. */
const HIGH_WATER_MARK = 1024;
/** Bytes of COPY text gathered before a chunk is handed on. */
const COPY_CHUNK = 256 * 1024;

type Decoder = (value: unknown) => SourceValue;

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
  const names = table.columns.map((column) => column.name);
  const decode = columnDecoders(table.columns) as Decoder[];
  let batch: Row[] = [];
  for await (const raw of rawRows(session, table, options.signal, options.afterKey)) {
    const row: Record<string, SourceValue> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = (decode[i] as Decoder)(raw[i]);
    batch.push(row);
    if (batch.length >= options.batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The same rows as COPY text (the contract's `copyTable`), formatted straight from the driver's
 * arrays: the values are exactly `readTableRows`' values written by `toCopyField`, without a row
 * object per row. Chunks of about 256 KiB, with the same back-pressure and abort rules.
 */
export async function* copyTableText(
  session: mysql.Connection,
  table: SourceTable,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const decode = columnDecoders(table.columns) as Decoder[];
  const last = decode.length - 1;
  let text = '';
  for await (const raw of rawRows(session, table, signal)) {
    for (let i = 0; i <= last; i++) {
      text += toCopyField((decode[i] as Decoder)(raw[i]));
      text += i === last ? '\n' : '\t';
    }
    if (text.length >= COPY_CHUNK) {
      yield Buffer.from(text);
      text = '';
    }
  }
  if (text.length > 0) yield Buffer.from(text);
}

/** The driver's rows as arrays, in key order; throws when `signal` aborts (a cut copy never looks complete). */
async function* rawRows(
  session: mysql.Connection,
  table: SourceTable,
  signal: AbortSignal,
  afterKey?: readonly unknown[],
): AsyncGenerator<unknown[]> {
  const { text, values } = selectStatement(table, afterKey);
  // The promise wrapper's callback connection is the one that can stream with back-pressure.
  const { connection } = session as unknown as { connection: CallbackConnection };
  // Geometry needs its stored bytes; every other type decodes faster without a typeCast function.
  const geometry = table.columns.some((column) => GEOMETRY_TYPES.has(column.type));
  const stream: Readable = connection
    .query({
      sql: text,
      values: [...values],
      rowsAsArray: true,
      ...(geometry ? { typeCast: snapshotTypeCast } : {}),
    })
    .stream({ highWaterMark: HIGH_WATER_MARK });
  // the iterator below reports the abort; without a listener of its own, a destroyed stream whose
  // iterator has already let go would throw it as an uncaught 'error'
  stream.on('error', () => undefined);
  const abort = () => stream.destroy(signal.reason ?? new Error('the table copy was aborted'));
  const stopListening = onAbort(signal, abort);
  try {
    signal.throwIfAborted();
    yield* stream as AsyncIterable<unknown[]>;
    signal.throwIfAborted();
  } finally {
    stopListening();
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
