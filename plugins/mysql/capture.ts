import type mysql from 'mysql2/promise';
import type { CaptureSession, ReadTableOptions, Row, SourceTable } from '../../core/plugin/index.js';
import { openConsistentSnapshot, type ServerFlavor } from './client/server-flavor.js';
import { sqlOver } from './client/sql.js';
import { formatOffset } from './offset.js';
import { copyTableText, readTableRows } from './snapshot/snapshot-reader.js';

/** What `startCapture` needs from the connection. */
export interface CaptureSource {
  readonly flavor: ServerFlavor;
  /** Opens a dedicated session with the snapshot connection options. */
  open(): Promise<mysql.Connection>;
  /** Open sessions; each removes itself when disposed. */
  readonly sessions: Set<MysqlCaptureSession>;
}

/**
 * Pins a consistent snapshot on a dedicated session: `START TRANSACTION WITH CONSISTENT SNAPSHOT`
 * together with the binary log position it corresponds to (see client/server-flavor.ts). Nothing is
 * created at the source: the binary log itself is the capture.
 */
export async function startCapture(source: CaptureSource): Promise<MysqlCaptureSession> {
  const holder = await source.open();
  try {
    const position = await openConsistentSnapshot(sqlOver(holder), source.flavor);
    return new MysqlCaptureSession(holder, formatOffset(position), source);
  } catch (error) {
    holder.destroy();
    throw error;
  }
}

/**
 * A pinned snapshot: every read runs inside the holder's consistent-snapshot transaction, so rows
 * are exactly the source as of `startOffset` (`handoff: 'exact'`). Reads run one at a time on that
 * one session. Disposing ends the session and any read still running.
 */
export class MysqlCaptureSession implements CaptureSession {
  private closed = false;

  constructor(
    private readonly holder: mysql.Connection,
    readonly startOffset: string,
    private readonly source: CaptureSource,
  ) {
    source.sessions.add(this);
  }

  readTable(table: SourceTable, options: ReadTableOptions): AsyncIterable<readonly Row[]> {
    if (this.closed) throw new Error('the capture session is disposed');
    return readTableRows(this.holder, table, options);
  }

  copyTable(table: SourceTable, options: { readonly signal: AbortSignal }): AsyncIterable<Buffer> {
    if (this.closed) throw new Error('the capture session is disposed');
    return copyTableText(this.holder, table, options.signal);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.source.sessions.delete(this);
    // Ending the session ends its transaction and any query still streaming.
    this.holder.destroy();
  }
}
