import type { RowChange, SchemaChange } from '../plugin/source-event.js';
import type { PendingChange } from '../target/apply-changes.js';
import type { TargetTable } from '../target/target-table.js';
import type { StatsDelta } from './stats-store.js';

/** A schema change applied to a destination table, as the `changes` feed shows it. */
export interface AppliedDdl {
  readonly table: TargetTable;
  readonly ddl: SchemaChange;
}

/**
 * The changes read since the last commit: those not yet written to the target (`pending`), the
 * counters of everything since the last commit, and the newest checkpoint that may be committed.
 */
export class ChangeBatch {
  pending: PendingChange[] = [];
  /** Applied changes and schema changes kept for the `changes` subscription (bounded). */
  applied: (PendingChange | AppliedDdl)[] = [];
  checkpoint: string | null = null;
  /**
   * Events read after the newest checkpoint: they belong to a source transaction that has not
   * ended yet, so nothing may commit until its checkpoint arrives (they would be delivered again
   * after a restart from the older checkpoint).
   */
  sinceCheckpoint = 0;
  /** Changes read since the last commit, applied or pending. */
  size = 0;
  startedAt = 0;
  readonly counts = {
    creates: 0,
    updates: 0,
    deletes: 0,
    truncates: 0,
    ddls: 0,
    transactions: 0,
    badEvents: 0,
    events: 0,
  };
  firstSourceTs: Date | null = null;
  lastSourceTs: Date | null = null;

  add(pending: PendingChange): void {
    this.pending.push(pending);
    this.touch(pending.change.sourceTs);
    this.size++;
  }

  /** Notes that something happened since the last commit (for the commit-latency clock). */
  touch(sourceTs?: Date): void {
    if (this.startedAt === 0) this.startedAt = Date.now();
    this.sinceCheckpoint++;
    this.counts.events++;
    if (sourceTs) {
      this.firstSourceTs ??= sourceTs;
      this.lastSourceTs = sourceTs;
    }
  }

  countApplied(changes: readonly RowChange[]): void {
    for (const change of changes) {
      if (change.op === 'insert') this.counts.creates++;
      else if (change.op === 'update') this.counts.updates++;
      else this.counts.deletes++;
    }
  }

  /** Marks the end of a source transaction at `offset`. */
  reachCheckpoint(offset: string): void {
    this.checkpoint = offset;
    this.sinceCheckpoint = 0;
    this.counts.transactions++;
  }

  get hasWork(): boolean {
    return this.startedAt !== 0 || this.checkpoint !== null;
  }

  /** Whether a commit now would hold exactly whole source transactions. */
  get atBoundary(): boolean {
    return this.checkpoint !== null && this.sinceCheckpoint === 0;
  }

  delta(): StatsDelta {
    const { creates, updates, deletes, truncates } = this.counts;
    return {
      ...this.counts,
      dmls: creates + updates + deletes + truncates,
      totalEvents: this.counts.events,
      batches: this.counts.events > 0 ? 1 : 0,
      firstSourceTs: this.firstSourceTs,
      lastSourceTs: this.lastSourceTs,
    };
  }
}
