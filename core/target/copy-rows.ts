import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { toCopyField } from '../plugin/pg-text.js';
import type { Row } from '../plugin/source-event.js';
import { qualify, quoteIdent } from './quote.js';
import type { TargetTable } from './target-table.js';

function copyStatement(table: TargetTable): string {
  const columns = table.columns.map((column) => quoteIdent(column.name)).join(', ');
  return `COPY ${qualify(table.schema, table.name)} (${columns}) FROM STDIN`;
}

/**
 * Feeds `chunks` into one COPY. The COPY can fail at any time, also while the loop waits for the
 * source's next chunk (a column that does not exist fails as soon as the statement is parsed): so
 * every wait races the COPY's end, and its failure is the error thrown, never left unhandled.
 */
async function writeAll(
  client: pg.ClientBase,
  table: TargetTable,
  chunks: AsyncIterable<string | Buffer>,
  onChunk: () => void,
): Promise<void> {
  const stream = client.query(copyFrom(copyStatement(table)));
  const done = finished(stream);
  // Handled here so a failure that comes while nothing awaits `done` is not an unhandled rejection.
  const failed = done.then(
    () => Promise.reject(new Error(`COPY into ${qualify(table.schema, table.name)} ended before its input`)),
    (error: unknown) => Promise.reject(error),
  );
  failed.catch(() => undefined);
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), failed]);
      if (next.done) break;
      onChunk();
      if (!stream.write(next.value)) await Promise.race([once(stream, 'drain'), failed]);
    }
    stream.end();
  } catch (error) {
    stream.destroy(error as Error);
    await done.catch(() => undefined);
    // Ends the source read; it may still be waiting for a chunk, so it is not awaited.
    iterator.return?.().catch(() => undefined);
    throw error;
  }
  await done;
}

/**
 * Streams row batches into `COPY ... FROM STDIN` with back-pressure: the next batch is pulled only
 * when the socket has drained. Returns the number of rows written; `onRows` sees the running total.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: TargetTable,
  batches: AsyncIterable<readonly Row[]>,
  onRows: (total: number) => void = () => undefined,
): Promise<number> {
  let total = 0;
  const sources = table.columns.map((column) => column.source);
  async function* lines() {
    for await (const batch of batches) {
      let text = '';
      for (const row of batch) {
        if (sources.length === 0) text += '\n';
        for (let i = 0; i < sources.length; i++) {
          text += toCopyField(row[sources[i] as string]);
          text += i === sources.length - 1 ? '\n' : '\t';
        }
      }
      total += batch.length;
      yield text;
    }
  }
  await writeAll(client, table, lines(), () => onRows(total));
  onRows(total);
  return total;
}

/**
 * Streams COPY text that a source produced (columns in `table.columns` order) straight into the
 * target, without decoding values. Returns the number of rows (newlines) written.
 */
export async function copyText(
  client: pg.ClientBase,
  table: TargetTable,
  chunks: AsyncIterable<Buffer>,
  onRows: (total: number) => void = () => undefined,
): Promise<number> {
  let total = 0;
  async function* counted() {
    for await (const chunk of chunks) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) total++;
      yield chunk;
    }
  }
  await writeAll(client, table, counted(), () => onRows(total));
  onRows(total);
  return total;
}
