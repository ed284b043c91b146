import type pg from 'pg';
import { dropAttributes, writeAttributes } from '../mappings/attribute-writer.js';
import { onAbort } from '../plugin/on-abort.js';
import type { DataChange, SchemaChange, SourceEvent } from '../plugin/source-event.js';
import { qualifiedName, type TableRef } from '../plugin/source-table.js';
import { applyChanges, type PendingChange } from '../target/apply-changes.js';
import { alterTable, dropTable, renameTable, truncateTables } from '../target/table-ddl.js';
import type { TargetTable } from '../target/target-table.js';
import { handleBadEvents } from './bad-events.js';
import { ChangeBatch } from './change-batch.js';
import { watchHealth } from './health-watch.js';
import { ENGINE_LIMITS, type JobContext } from './job-context.js';
import { publishApplied } from './publish-applied.js';
import { takeDestination } from './take-destination.js';

const QUIET = Symbol('quiet');

/**
 * Streams changes from `from` into the target until the job is stopped. Changes are written in
 * batches into one open target transaction; at a checkpoint the rows, the offset and the stats
 * commit together, and only then is the source acknowledged. `tableOffsets` holds, per source
 * table, the offset its copy was taken at: changes it already contains are skipped.
 */
export async function runStream(
  context: JobContext,
  from: string,
  tableOffsets: ReadonlyMap<string, string | null>,
): Promise<void> {
  // Ends the source stream when the job stops, and also when this phase fails on its own.
  const reading = new AbortController();
  const stopListening = onAbort(context.signal, () => reading.abort());
  const iterator = context.connection
    .readChanges(from, {
      tables: [...context.targets.values()].map((t) => t.source),
      selection: context.record.tables,
      signal: reading.signal,
    })
    [Symbol.asyncIterator]();
  const stream = new StreamWriter(context, tableOffsets);
  let next: Promise<IteratorResult<SourceEvent>> | null = null;
  // One ticking timer (not one per event) wakes the loop when the stream goes quiet with work waiting.
  let wake: (() => void) | null = null;
  const ticker = setInterval(() => wake?.(), ENGINE_LIMITS.lingerMs);
  const stopWatching = watchHealth(context);
  try {
    for (;;) {
      next ??= iterator.next();
      const quiet = new Promise<typeof QUIET>((resolve) => {
        wake = () => resolve(QUIET);
      });
      const result = stream.batch.hasWork ? await Promise.race([next, quiet]) : await next;
      if (result === QUIET) {
        if (stream.dueOnQuiet()) await stream.commit();
        continue;
      }
      next = null;
      if (result.done) break;
      await stream.handle(result.value);
    }
    await stream.commit();
  } finally {
    clearInterval(ticker);
    stopWatching();
    stopListening();
    reading.abort();
    await stream.rollback();
    await next?.catch(() => undefined);
    await iterator.return?.().catch(() => undefined);
  }
}

class StreamWriter {
  batch = new ChangeBatch();
  private client: pg.PoolClient | null = null;
  private applying: Promise<void> | null = null;
  private lastCommitAt = Date.now();

  constructor(
    private readonly context: JobContext,
    private readonly tableOffsets: ReadonlyMap<string, string | null>,
  ) {}

  async handle(event: SourceEvent): Promise<void> {
    switch (event.kind) {
      case 'checkpoint':
        this.batch.reachCheckpoint(event.offset);
        if (this.batch.size >= ENGINE_LIMITS.commitRows || this.overdue()) await this.commit();
        return;
      case 'change': {
        const table = this.tableFor(event.table, event);
        if (!table) return;
        this.batch.add({ table, change: event });
        if (this.batch.pending.length >= ENGINE_LIMITS.flushRows) await this.flush(false);
        return;
      }
      case 'truncate': {
        const tables = event.tables.map((ref) => this.tableFor(ref, event)).filter((t) => t !== undefined);
        if (tables.length === 0) return;
        await this.flush();
        await truncateTables(await this.open(), tables);
        this.batch.touch(event.sourceTs);
        this.batch.counts.truncates++;
        return;
      }
      case 'schema': {
        await this.flush();
        const table = await this.applySchemaChange(event);
        if (table) {
          this.batch.touch(event.sourceTs);
          this.batch.counts.ddls++;
          if (this.context.events.hasChangeListeners) this.batch.applied.push({ table, ddl: event });
        }
      }
    }
  }

  /**
   * Commit at a quiet moment between source transactions: data waiting, or a bare offset advance
   * not committed for a while. Never inside a source transaction.
   */
  dueOnQuiet(): boolean {
    if (!this.batch.atBoundary) return false;
    return this.batch.startedAt !== 0 || Date.now() - this.lastCommitAt >= ENGINE_LIMITS.idleCommitMs;
  }

  private overdue(): boolean {
    return this.batch.startedAt !== 0 && Date.now() - this.batch.startedAt >= ENGINE_LIMITS.commitLatencyMs;
  }

  /** The destination of a selected table's change, or undefined to ignore it. */
  private tableFor(ref: TableRef, event: DataChange) {
    const name = qualifiedName(ref);
    const table = this.context.targets.get(name);
    if (!table) return undefined;
    const copiedAt = this.tableOffsets.get(name);
    if (copiedAt && event.commitOffset <= copiedAt) return undefined;
    return table;
  }

  private async open(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    const client = await this.context.db.pool.connect();
    try {
      await client.query('BEGIN');
    } catch (error) {
      client.release(true);
      throw error;
    }
    this.client = client;
    return client;
  }

  /**
   * Writes pending changes into the open transaction (which stays open until the next commit).
   * With `wait` false the write overlaps with reading the next changes: decoding and grouping in
   * this process run while the target executes. Writes stay in order (one at a time on the
   * transaction's session); a failed write surfaces at the next `settle()`.
   */
  private async flush(wait = true): Promise<void> {
    const { pending } = this.batch;
    if (pending.length > 0) {
      this.batch.pending = [];
      const client = await this.open();
      await this.settle();
      const applying = this.apply(client, this.batch, pending);
      applying.catch(() => undefined);
      this.applying = applying;
    }
    if (wait) await this.settle();
  }

  /** Waits for the write in flight, rethrowing its failure. */
  private async settle(): Promise<void> {
    const applying = this.applying;
    this.applying = null;
    await applying;
  }

  private async apply(client: pg.PoolClient, batch: ChangeBatch, pending: PendingChange[]): Promise<void> {
    const isolate = this.context.record.errorStrategy === 'skip';
    const failures = await applyChanges(client, pending, isolate);
    if (failures.length > 0) {
      await handleBadEvents(client, this.context, failures);
      batch.counts.badEvents += failures.length;
    }
    const failed = new Set(failures.map((failure) => failure.pending));
    const applied = failed.size === 0 ? pending : pending.filter((change) => !failed.has(change));
    batch.countApplied(applied.map((change) => change.change));
    if (this.context.events.hasChangeListeners) {
      const room = ENGINE_LIMITS.feedPerCommit - batch.applied.length;
      if (room > 0) batch.applied.push(...applied.slice(0, room));
    }
  }

  /**
   * Commits the batch with its checkpoint, then acknowledges the source. Called only at a
   * transaction boundary, so the commit holds whole source transactions and nothing after them.
   */
  async commit(): Promise<void> {
    const offset = this.batch.checkpoint;
    if (offset === null || !this.batch.atBoundary) return;
    await this.flush();
    const client = await this.open();
    const { record } = this.context;
    await this.context.progress.offsetIn(client, record.name, offset);
    await this.context.stats.addIn(client, record.name, this.batch.delta());
    await client.query('COMMIT');
    this.client = null;
    client.release();
    await this.context.connection.ack(offset);
    publishApplied(this.context, this.batch.applied, offset);
    if (this.batch.startedAt !== 0) {
      this.context.events.batchCommitted(record.name, (Date.now() - this.batch.startedAt) / 1000);
    }
    this.batch = new ChangeBatch();
    this.lastCommitAt = Date.now();
  }

  async rollback(): Promise<void> {
    await this.settle().catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }

  /**
   * Applies a selected table's DDL inside the open transaction: the destination table as it now
   * is (as it was, for a drop); null when the table is not selected.
   */
  private async applySchemaChange(event: SchemaChange): Promise<TargetTable | null> {
    const { context } = this;
    const name = qualifiedName(event.table.ref);
    const previousName = event.from ? qualifiedName(event.from) : name;
    const current = context.targets.get(previousName);
    const selected = context.record.tables === null || context.record.tables.includes(name);
    const copiedAt = this.tableOffsets.get(previousName);
    if (copiedAt && event.commitOffset <= copiedAt) return null;
    const client = await this.open();
    if (event.action === 'drop') {
      if (!current) return null;
      await dropTable(client, current);
      await dropAttributes(client, context.record.name, name);
      context.targets.delete(name);
      return current;
    }
    if (!current && !selected) return null;
    const next = context.resolveTarget(event.table);
    if (!current) await takeDestination(client, context.record, next, 'create');
    else if (event.action === 'rename') {
      await renameTable(client, current, next);
      await dropAttributes(client, context.record.name, previousName);
      context.targets.delete(previousName);
    } else {
      const renames = (event.renamedColumns ?? []).flatMap(({ from, to }) => {
        const old = current.columns.find((column) => column.source === from)?.name;
        const renamed = next.columns.find((column) => column.source === to)?.name;
        return old && renamed ? [{ from: old, to: renamed }] : [];
      });
      await alterTable(client, current, next, renames);
    }
    await writeAttributes(client, context.record.name, next);
    context.targets.set(name, next);
    return next;
  }
}
