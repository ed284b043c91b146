import type { Row, SourceTable } from '../../../core/plugin/index.js';
import { formatOffset } from '../offset.js';
import { type MemoryColumnSpec, type MemoryRowInput, projectRow } from '../schema/column-types.js';
import { ChangeLog, type Commit } from './change-log.js';
import { orderRows } from './key-order.js';
import { type MemoryTableSpec, MemoryTransaction, type StoredTable } from './memory-transaction.js';

/** Server settings, changeable at any time (`db.settings.captureEnabled = false`). */
export interface MemoryDatabaseSettings {
  /**
   * Like `wal_level = logical` or `binlog_format = ROW`: while false, `check()` reports the
   * `capture_enabled` prerequisite as failed and `startCapture` refuses. Commits are logged anyway.
   */
  captureEnabled: boolean;
  /** Commits kept at most even when a slot still needs older ones; a slot left behind loses its history. */
  maxRetainedCommits: number;
}

/** A table's rows as a capture pinned them. */
export interface PinnedTable {
  readonly definition: SourceTable;
  readonly rows: ReadonlyMap<string, Row>;
}

/** Every table as of commit `sequence`. */
export interface PinnedView {
  readonly sequence: number;
  readonly tables: ReadonlyMap<string, PinnedTable>;
}

/**
 * An in-process database with tables, transactions, a change log and replication slots: the source
 * behind the memory plugin. Tables are named without a schema (TableRef `{ database, schema: null }`).
 *
 * Every write is a transaction: `transaction(fn)` groups statements into one commit, and the
 * single-statement helpers (`insert`, `update`, ...) each commit on their own. Each commit gets the
 * next sequence number and returns its offset. Statements throw on bad input (unknown table or
 * column, duplicate key, a value the column cannot hold) and the whole transaction is undone.
 */
export class MemoryDatabase {
  readonly settings: MemoryDatabaseSettings;
  private readonly tables = new Map<string, StoredTable>();
  private readonly log: ChangeLog;
  private inTransaction = false;

  constructor(
    readonly name: string,
    settings: Partial<MemoryDatabaseSettings> = {},
  ) {
    if (name.trim() === '') throw new Error('a memory database needs a name');
    this.settings = { captureEnabled: true, maxRetainedCommits: Number.POSITIVE_INFINITY, ...settings };
    this.log = new ChangeLog(this.settings);
  }

  /** The sequence of the last commit; 0 before the first. */
  get headSequence(): number {
    return this.log.head;
  }

  /** Every commit with a sequence at or below this one has been discarded from the change log. */
  get discardedThrough(): number {
    return this.log.discardedThrough;
  }

  /** How many commits the change log holds. */
  get retainedCommits(): number {
    return this.log.size;
  }

  /** Every table, ordered by name. */
  listTables(): SourceTable[] {
    return [...this.tables.keys()].sort().flatMap((name) => this.tables.get(name)?.definition ?? []);
  }

  table(name: string): SourceTable | undefined {
    return this.tables.get(name)?.definition;
  }

  /** How many rows the table holds now; undefined when there is no such table. */
  rowCount(tableName: string): number | undefined {
    return this.tables.get(tableName)?.rows.size;
  }

  /** The table's current rows, in primary-key order. */
  rows(tableName: string): Row[] {
    const table = this.tables.get(tableName);
    if (table === undefined) throw new Error(`table ${this.name}.${tableName} does not exist`);
    return orderRows(table.definition, table.rows).map((row) => projectRow(table.definition, row));
  }

  /**
   * Runs the statements in `fn` as one transaction and returns its commit's offset (the current
   * head when `fn` changed nothing). `fn` must be synchronous; if it throws, nothing is committed.
   */
  transaction(fn: (tx: MemoryTransaction) => void): string {
    if (this.inTransaction) throw new Error(`memory database ${this.name} does not nest transactions`);
    this.inTransaction = true;
    const tx = new MemoryTransaction(this.tables, this.name);
    try {
      const result: unknown = fn(tx);
      if (result instanceof Promise) throw new Error('transaction callbacks must be synchronous');
    } catch (error) {
      tx.rollback();
      throw error;
    } finally {
      this.inTransaction = false;
    }
    if (tx.events.length === 0) return formatOffset(this.log.head);
    const committedAt = new Date();
    const events = tx.events.map((event) => ({ ...event, sourceTs: committedAt }));
    return formatOffset(this.log.append(events, committedAt).sequence);
  }

  createTable(name: string, spec: MemoryTableSpec): string {
    return this.transaction((tx) => tx.createTable(name, spec));
  }

  dropTable(name: string): string {
    return this.transaction((tx) => tx.dropTable(name));
  }

  renameTable(from: string, to: string): string {
    return this.transaction((tx) => tx.renameTable(from, to));
  }

  addColumn(table: string, column: MemoryColumnSpec): string {
    return this.transaction((tx) => tx.addColumn(table, column));
  }

  dropColumn(table: string, column: string): string {
    return this.transaction((tx) => tx.dropColumn(table, column));
  }

  insert(table: string, rows: MemoryRowInput | readonly MemoryRowInput[]): string {
    return this.transaction((tx) => tx.insert(table, rows));
  }

  update(table: string, where: MemoryRowInput, values: MemoryRowInput): string {
    return this.transaction((tx) => void tx.update(table, where, values));
  }

  delete(table: string, where: MemoryRowInput): string {
    return this.transaction((tx) => void tx.delete(table, where));
  }

  truncate(...tables: string[]): string {
    return this.transaction((tx) => tx.truncate(...tables));
  }

  /** Pins every table as of the head; later writes copy a pinned table's rows instead of changing them. */
  pin(): PinnedView {
    const tables = new Map<string, PinnedTable>();
    for (const [name, table] of this.tables) {
      table.shared = true;
      tables.set(name, { definition: table.definition, rows: table.rows });
    }
    return { sequence: this.log.head, tables };
  }

  /** The slot's last acknowledged sequence; undefined when the slot does not exist. */
  slotPosition(slot: string): number | undefined {
    return this.log.slotPosition(slot);
  }

  /** Creates the slot at the head unless it exists; returns whether it was created. */
  createSlot(slot: string): boolean {
    return this.log.createSlot(slot);
  }

  /** Acknowledges every commit up to `sequence` for the slot; history no slot needs is discarded. */
  advanceSlot(slot: string, sequence: number): void {
    this.log.advanceSlot(slot, sequence);
  }

  dropSlot(slot: string): boolean {
    return this.log.dropSlot(slot);
  }

  /** The commit right after `sequence`; undefined when there is none yet or it was discarded. */
  commitAfter(sequence: number): Commit | undefined {
    return this.log.commitAfter(sequence);
  }

  /** Resolves once a commit after `sequence` exists, a slot is dropped, the database is dropped, or `signal` aborts. */
  waitForCommit(sequence: number, signal: AbortSignal): Promise<void> {
    return this.log.waitForCommit(sequence, signal);
  }

  /** Wakes every `waitForCommit`; `dropMemoryDatabase` calls it so streams notice the drop. */
  wakeWaiters(): void {
    this.log.wakeWaiters();
  }
}
