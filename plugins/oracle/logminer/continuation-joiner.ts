import type { LogMinerRow } from './logminer-row.js';

/**
 * Joins SQL_REDO continuation rows (`CSF = 1`) into one row: the pieces of a statement are
 * concatenated as they come, so a split in the middle of a literal, a `''` pair or a UNISTR
 * escape disappears. Pieces of different transactions may interleave; each transaction's pieces
 * are joined on their own. The joined row carries the SCN, ROW_ID and other fields of its first
 * piece and `csf: false`. Memory: one pending statement per transaction.
 */
export class ContinuationJoiner {
  private readonly pending = new Map<string, { first: LogMinerRow; pieces: string[] }>();

  /** The complete row this row finishes (maybe itself), or null while a statement continues. */
  push(row: LogMinerRow): LogMinerRow | null {
    const open = this.pending.get(row.xid);
    if (open === undefined) {
      if (!row.csf) return row;
      this.pending.set(row.xid, { first: row, pieces: [row.sqlRedo ?? ''] });
      return null;
    }
    open.pieces.push(row.sqlRedo ?? '');
    if (row.csf) return null;
    this.pending.delete(row.xid);
    return { ...open.first, csf: false, sqlRedo: open.pieces.join('') };
  }

  /** Transactions with a statement still waiting for its last piece. */
  get waiting(): number {
    return this.pending.size;
  }
}
