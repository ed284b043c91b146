import type { BufferedChange } from './logminer-row.js';
import { SpillFile } from './spill-file.js';

/** Rough heap cost of one buffered change: its strings (UTF-16) plus object overhead. */
export function changeBytes(change: BufferedChange): number {
  return 2 * (change.sqlRedo.length + (change.rowId?.length ?? 0) + change.scn.length) + 160;
}

/**
 * The changes of one transaction not yet committed, in redo order: in memory while small, then
 * (after `spill`) in a `SpillFile`, all of them. `memoryBytes` is what it holds on the heap.
 */
export class OpenTransaction {
  private changes: BufferedChange[] = [];
  private file: SpillFile | null = null;
  memoryBytes = 0;

  constructor(
    readonly xid: string,
    readonly startScn: string,
    readonly startTimeMs: number | undefined,
  ) {}

  get changeCount(): number {
    return this.file === null ? this.changes.length : this.file.liveCount;
  }

  get spilled(): boolean {
    return this.file !== null;
  }

  add(change: BufferedChange): void {
    if (this.file !== null) this.file.append(change);
    else {
      this.changes.push(change);
      this.memoryBytes += changeBytes(change);
    }
  }

  /** Removes the latest change with this ROW_ID (a partial rollback); false when none matches. */
  cancel(rowId: string): boolean {
    if (this.file !== null) return this.file.cancelLatest(rowId);
    for (let index = this.changes.length - 1; index >= 0; index--) {
      const change = this.changes[index] as BufferedChange;
      if (change.rowId !== rowId) continue;
      this.changes.splice(index, 1);
      this.memoryBytes -= changeBytes(change);
      return true;
    }
    return false;
  }

  /** Moves every change to a new spill file at `path`; later changes go there too. */
  spill(path: string): void {
    if (this.file !== null) return;
    this.file = new SpillFile(path);
    for (const change of this.changes) this.file.append(change);
    this.changes = [];
    this.memoryBytes = 0;
  }

  /** The changes in order; from disk when spilled. */
  async *replay(): AsyncGenerator<BufferedChange> {
    if (this.file !== null) yield* this.file.replay();
    else yield* this.changes;
  }

  /** Frees the changes and deletes the spill file, if any. */
  release(): void {
    this.file?.remove();
    this.changes = [];
    this.memoryBytes = 0;
  }
}
