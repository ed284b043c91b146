import type { DataChange } from '../../../core/plugin/index.js';

/** A change as the log keeps it; the stream adds its commit's offset when delivering it. */
export type LoggedChange = DataChange extends infer E
  ? E extends DataChange
    ? Omit<E, 'commitOffset'>
    : never
  : never;

/** One committed transaction: its events in statement order. */
export interface Commit {
  readonly sequence: number;
  readonly committedAt: Date;
  readonly events: readonly LoggedChange[];
}

export interface RetentionLimits {
  /** Commits kept at most, whatever the slots still need (like `max_slot_wal_keep_size`). */
  readonly maxRetainedCommits: number;
}

/**
 * The memory database's change history, like a write-ahead log with replication slots.
 *
 * Commits have consecutive sequence numbers from 1. A slot remembers the last sequence its
 * connector acknowledged; the log keeps only commits after the smallest acknowledged sequence of all
 * slots (none at all when there are no slots), and never more than `maxRetainedCommits`, so memory
 * stays bounded. Every commit with a sequence at or below `discardedThrough` is gone.
 */
export class ChangeLog {
  private readonly commits: Commit[] = [];
  private readonly slots = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private headSequence = 0;
  private discarded = 0;

  constructor(private readonly limits: RetentionLimits) {}

  get head(): number {
    return this.headSequence;
  }

  get discardedThrough(): number {
    return this.discarded;
  }

  get size(): number {
    return this.commits.length;
  }

  append(events: Commit['events'], committedAt: Date): Commit {
    const commit: Commit = { sequence: this.headSequence + 1, committedAt, events };
    this.commits.push(commit);
    this.headSequence = commit.sequence;
    this.discard();
    this.wakeWaiters();
    return commit;
  }

  /** The commit right after `sequence`, or undefined when none has been made yet or it was discarded. */
  commitAfter(sequence: number): Commit | undefined {
    return this.commits[sequence - this.discarded];
  }

  slotPosition(name: string): number | undefined {
    return this.slots.get(name);
  }

  /** Creates the slot at the head unless it exists. Returns whether it was created. */
  createSlot(name: string): boolean {
    if (this.slots.has(name)) return false;
    this.slots.set(name, this.headSequence);
    return true;
  }

  /** Moves the slot forward to `sequence` (never back) and discards what no slot needs. */
  advanceSlot(name: string, sequence: number): void {
    const position = this.slots.get(name);
    if (position === undefined) throw new Error(`slot ${name} does not exist`);
    this.slots.set(name, Math.max(position, Math.min(sequence, this.headSequence)));
    this.discard();
  }

  dropSlot(name: string): boolean {
    const dropped = this.slots.delete(name);
    this.discard();
    this.wakeWaiters();
    return dropped;
  }

  /** Resolves once a commit after `sequence` exists, `wakeWaiters` is called, or `signal` aborts. */
  waitForCommit(sequence: number, signal: AbortSignal): Promise<void> {
    if (this.headSequence > sequence || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private discard(): void {
    const needed = this.slots.size === 0 ? this.headSequence : Math.min(...this.slots.values());
    const through = Math.max(this.discarded, needed, this.headSequence - this.limits.maxRetainedCommits);
    if (through <= this.discarded) return;
    this.commits.splice(0, through - this.discarded);
    this.discarded = through;
  }
}
