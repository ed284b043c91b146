import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContinuationJoiner } from './continuation-joiner.js';
import { type BufferedChange, type LogMinerRow, OperationCode } from './logminer-row.js';
import { OpenTransaction } from './open-transaction.js';
import { compareScn, minScn } from './scn.js';

export interface TransactionBufferOptions {
  /** Where spill files go (a private sub-directory is made there); default the OS temp directory. */
  readonly spillDirectory?: string;
  /** A transaction holding more than this many bytes of changes in memory spills; default 8 MiB. */
  readonly spillAfterBytes?: number;
  /** A transaction holding more than this many changes in memory spills; default 10,000. */
  readonly spillAfterRows?: number;
  /** Above this many bytes across all open transactions, the largest in memory spills; default 64 MiB. */
  readonly maxMemoryBytes?: number;
}

/**
 * A committed transaction, released in commit order.
 * - `resumeScn`: the lowest SCN mining must restart from (inclusive) to see every transaction not
 *   yet released when this one is checkpointed: the oldest start SCN among them, at most `commitScn`.
 * - `changes()` may be iterated once; when the iteration ends (or stops early) the spill file is
 *   deleted. `discard()` frees the changes without reading them.
 */
export interface CommittedTransaction {
  readonly xid: string;
  readonly startScn: string;
  readonly commitScn: string;
  readonly commitTime?: Date;
  readonly changeCount: number;
  readonly resumeScn: string;
  changes(): AsyncIterable<BufferedChange>;
  discard(): void;
}

/** An open transaction as `openTransactions` reports it. */
export interface OpenTransactionInfo {
  readonly xid: string;
  readonly startScn: string;
  readonly startTime?: Date;
  readonly changeCount: number;
  readonly spilled: boolean;
}

/**
 * Buffers `V$LOGMNR_CONTENTS` rows per transaction until COMMIT (LogMiner's buffered mode).
 * Contract:
 * - `accept` takes rows in the order the mining query returns them (SCN order), across any
 *   number of mining windows; CSF continuation rows are joined first. START (op 6) opens a
 *   transaction (so does its first change); COMMIT (op 7) completes it at the row's SCN;
 *   ROLLBACK (op 36) drops it; a row with `ROLLBACK = 1` removes the latest buffered change of its
 *   transaction with the same ROW_ID and is not itself kept. Every other operation is buffered as
 *   a change (DML, DDL, LOB operations: the stream interprets them).
 * - Committed transactions are released in commit-SCN order; those committing at the same SCN in
 *   XID order, once a row with a higher SCN arrives or `endWindow` says the SCN is complete.
 *   Transactions with no changes are not released.
 * - Memory: a transaction past `spillAfterBytes`/`spillAfterRows`, or the largest when all
 *   exceed `maxMemoryBytes`, moves to a spill file; heap use stays bounded whatever the size.
 *   Spill files are deleted on release (after replay or discard), rollback, `abandon` and `close`.
 * Not concurrent: one mining loop owns it.
 */
export class TransactionBuffer {
  private readonly open = new Map<string, OpenTransaction>();
  private readonly joiner = new ContinuationJoiner();
  private readonly spillAfterBytes: number;
  private readonly spillAfterRows: number;
  private readonly maxMemoryBytes: number;
  private readonly unreleased = new Set<OpenTransaction>();
  /** Abandoned transactions: their later rows are ignored until their COMMIT or ROLLBACK. */
  private readonly abandonedXids = new Set<string>();
  private committing: { scn: string; transactions: { tx: OpenTransaction; time?: Date }[] } | null = null;
  private directory: string | null = null;
  private files = 0;
  private heldBytes = 0;

  constructor(private readonly options: TransactionBufferOptions = {}) {
    this.spillAfterBytes = options.spillAfterBytes ?? 8 * 1024 * 1024;
    this.spillAfterRows = options.spillAfterRows ?? 10_000;
    this.maxMemoryBytes = options.maxMemoryBytes ?? 64 * 1024 * 1024;
  }

  /** Takes one row; returns the transactions this row's SCN completes (usually none). */
  accept(input: LogMinerRow): CommittedTransaction[] {
    const released =
      this.committing !== null && compareScn(input.scn, this.committing.scn) > 0 ? this.endWindow() : [];
    const row = this.joiner.push(input);
    if (row === null) return released;
    if (this.abandonedXids.has(row.xid)) {
      if (row.operationCode === OperationCode.commit || row.operationCode === OperationCode.rollback) {
        this.abandonedXids.delete(row.xid);
      }
      return released;
    }
    switch (row.operationCode) {
      case OperationCode.start:
        this.transaction(row);
        break;
      case OperationCode.commit:
        this.commit(row);
        break;
      case OperationCode.rollback:
        this.drop(row.xid);
        break;
      default:
        this.change(row);
    }
    return released;
  }

  /**
   * Releases the transactions committed so far: call when a mining window has been read to its
   * end (every row at its upper SCN has been seen).
   */
  endWindow(): CommittedTransaction[] {
    const batch = this.committing;
    if (batch === null) return [];
    this.committing = null;
    batch.transactions.sort((a, b) => (a.tx.xid < b.tx.xid ? -1 : a.tx.xid > b.tx.xid ? 1 : 0));
    const open = this.resumeScn();
    const released: CommittedTransaction[] = [];
    batch.transactions.forEach(({ tx, time }, index) => {
      let resume = open === null ? batch.scn : minScn(open, batch.scn);
      for (const later of batch.transactions.slice(index + 1)) resume = minScn(resume, later.tx.startScn);
      released.push(this.committed(tx, batch.scn, resume, time));
    });
    return released;
  }

  /** The oldest start SCN among open (and committed, unreleased) transactions; null when none. */
  resumeScn(): string | null {
    let oldest: string | null = null;
    for (const tx of this.open.values()) oldest = oldest === null ? tx.startScn : minScn(oldest, tx.startScn);
    for (const { tx } of this.committing?.transactions ?? []) {
      oldest = oldest === null ? tx.startScn : minScn(oldest, tx.startScn);
    }
    return oldest;
  }

  openTransactions(): OpenTransactionInfo[] {
    return [...this.open.values()].map((tx) => ({
      xid: tx.xid,
      startScn: tx.startScn,
      ...(tx.startTimeMs === undefined ? {} : { startTime: new Date(tx.startTimeMs) }),
      changeCount: tx.changeCount,
      spilled: tx.spilled,
    }));
  }

  /** Open transactions whose first row is older than `maxAgeMs` at `now` (by redo timestamps). */
  abandoned(maxAgeMs: number, now: Date): OpenTransactionInfo[] {
    return this.openTransactions().filter(
      (tx) => tx.startTime !== undefined && now.getTime() - tx.startTime.getTime() > maxAgeMs,
    );
  }

  /**
   * Drops an open transaction (abandoned by policy): its later rows, up to and including its COMMIT
   * or ROLLBACK, are ignored, so a tail of it is never released as if it were whole.
   */
  abandon(xid: string): void {
    if (!this.open.has(xid)) return;
    this.drop(xid);
    this.abandonedXids.add(xid);
  }

  /** Heap bytes held by open transactions' changes. */
  get memoryBytes(): number {
    return this.heldBytes;
  }

  /** Drops everything and deletes every spill file, released or not. */
  close(): void {
    for (const tx of this.open.values()) tx.release();
    for (const tx of this.unreleased) tx.release();
    this.open.clear();
    this.unreleased.clear();
    this.abandonedXids.clear();
    this.heldBytes = 0;
    this.committing = null;
    if (this.directory !== null) rmSync(this.directory, { recursive: true, force: true });
    this.directory = null;
  }

  private transaction(row: LogMinerRow): OpenTransaction {
    let tx = this.open.get(row.xid);
    if (tx === undefined) {
      tx = new OpenTransaction(row.xid, row.scn, row.timestamp?.getTime());
      this.open.set(row.xid, tx);
    }
    return tx;
  }

  private change(row: LogMinerRow): void {
    if (row.rollback) {
      const tx = this.open.get(row.xid);
      if (tx !== undefined && row.rowId !== null) this.tracked(tx, () => tx.cancel(row.rowId as string));
      return;
    }
    const tx = this.transaction(row);
    const change: BufferedChange = {
      scn: row.scn,
      operationCode: row.operationCode,
      rowId: row.rowId,
      sqlRedo: row.sqlRedo ?? '',
      schema: row.segOwner,
      table: row.tableName,
      ...(row.timestamp === undefined ? {} : { timestampMs: row.timestamp.getTime() }),
      ...(row.info === undefined ? {} : { info: row.info }),
    };
    this.tracked(tx, () => tx.add(change));
    if (!tx.spilled && (tx.memoryBytes > this.spillAfterBytes || tx.changeCount > this.spillAfterRows))
      this.spill(tx);
    else if (!tx.spilled && this.memoryBytes > this.maxMemoryBytes) this.spillLargest();
  }

  private commit(row: LogMinerRow): void {
    const tx = this.open.get(row.xid);
    if (tx === undefined) return;
    this.open.delete(row.xid);
    this.heldBytes -= tx.memoryBytes;
    if (tx.changeCount === 0) {
      tx.release();
      return;
    }
    this.unreleased.add(tx);
    this.committing ??= { scn: row.scn, transactions: [] };
    this.committing.transactions.push({
      tx,
      ...(row.timestamp === undefined ? {} : { time: row.timestamp }),
    });
  }

  private drop(xid: string): void {
    const tx = this.open.get(xid);
    if (tx === undefined) return;
    this.tracked(tx, () => tx.release());
    this.open.delete(xid);
  }

  /** Runs `action` on an open transaction, keeping the running total of heap bytes in step. */
  private tracked<T>(tx: OpenTransaction, action: () => T): T {
    const before = tx.memoryBytes;
    const result = action();
    this.heldBytes += tx.memoryBytes - before;
    return result;
  }

  private committed(
    tx: OpenTransaction,
    commitScn: string,
    resumeScn: string,
    time?: Date,
  ): CommittedTransaction {
    let used = false;
    const release = (): void => {
      tx.release();
      this.unreleased.delete(tx);
    };
    return {
      xid: tx.xid,
      startScn: tx.startScn,
      commitScn,
      ...(time === undefined ? {} : { commitTime: time }),
      changeCount: tx.changeCount,
      resumeScn,
      changes: () => {
        if (used) throw new Error(`the changes of transaction ${tx.xid} were already read`);
        used = true;
        return (async function* () {
          try {
            yield* tx.replay();
          } finally {
            release();
          }
        })();
      },
      discard: release,
    };
  }

  private spillLargest(): void {
    let largest: OpenTransaction | null = null;
    for (const tx of this.open.values())
      if (!tx.spilled && tx.memoryBytes > (largest?.memoryBytes ?? 0)) largest = tx;
    if (largest !== null) this.spill(largest);
  }

  private spill(tx: OpenTransaction): void {
    this.directory ??= mkdtempSync(join(this.options.spillDirectory ?? tmpdir(), 'tributary-logminer-'));
    this.files++;
    const path = join(this.directory, `${tx.xid.replace(/[^0-9A-Za-z]/g, '_')}-${this.files}.spill`);
    this.tracked(tx, () => tx.spill(path));
  }
}
