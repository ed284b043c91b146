import type { CaptureSession, ReadTableOptions, Row, SourceTable } from '../../core/plugin/index.js';
import { quoteTable } from './client/identifiers.js';
import type { QueryRunner } from './client/sql.js';
import { BEGIN_SNAPSHOT, COMMIT, LOG_END_LSN, tag } from './client/statements.js';
import { offsetOfLsn } from './offset.js';
import { readPages } from './snapshot/snapshot-reader.js';

/** A dedicated session on its own connection. */
export interface Session {
  readonly runner: QueryRunner;
  close(): Promise<void>;
}

/** The statement that takes shared table locks on `tables` inside a transaction. */
export function lockTablesSql(tables: readonly SourceTable[], lockTimeoutMs: number): string {
  const locks = tables.map(
    (table) =>
      `SELECT TOP (1) 1 AS locked FROM ${quoteTable(table.ref.schema ?? 'dbo', table.ref.name)} WITH (TABLOCK, HOLDLOCK);`,
  );
  return `${tag('lock-tables')} SET LOCK_TIMEOUT ${Math.round(lockTimeoutMs)}; BEGIN TRAN; ${locks.join(' ')}`;
}

/** The first data read of the snapshot transaction, which fixes its snapshot. */
export function pinSnapshotSql(tables: readonly SourceTable[]): string {
  const first = tables[0];
  return first
    ? `${tag('pin-snapshot')} SELECT TOP (1) 1 AS pinned FROM ${quoteTable(first.ref.schema ?? 'dbo', first.ref.name)}`
    : `${tag('pin-snapshot')} SELECT TOP (1) 1 AS pinned FROM sys.objects`;
}

/**
 * The exact hand-off ("lock, pin, read log end LSN, release"):
 * 1. the lock holder takes shared table locks on every captured table, which wait for writers in
 *    flight and block new ones;
 * 2. the snapshot session begins a SNAPSHOT transaction and reads, which fixes its snapshot
 *    (snapshot readers take no shared locks, so the holder does not block it);
 * 3. the holder reads the log end LSN L and commits, releasing the locks.
 * Every commit touching the tables is then either before the locks (LSN < L, in the snapshot) or
 * after their release (LSN > L, not in it): `startOffset` = L is exact whatever the harvest lag.
 */
export async function startCapture(
  open: () => Promise<Session>,
  tables: readonly SourceTable[],
  lockTimeoutMs: number,
  sessions: Set<SqlServerCaptureSession>,
): Promise<SqlServerCaptureSession> {
  const holder = await open();
  let snapshot: Session | undefined;
  try {
    if (tables.length > 0) await holder.runner.batch(lockTablesSql(tables, lockTimeoutMs));
    snapshot = await open();
    await snapshot.runner.batch(BEGIN_SNAPSHOT);
    await snapshot.runner.batch(pinSnapshotSql(tables));
    const [end] = await holder.runner.query(LOG_END_LSN);
    const startOffset = offsetOfLsn(end?.log_end_lsn);
    if (tables.length > 0) await holder.runner.batch(COMMIT);
    return new SqlServerCaptureSession(snapshot, startOffset, sessions);
  } catch (error) {
    await snapshot?.close();
    throw error;
  } finally {
    await holder.close();
  }
}

/** A pinned SNAPSHOT transaction on its own connection; reads run one at a time. */
export class SqlServerCaptureSession implements CaptureSession {
  private closed = false;

  constructor(
    private readonly session: Session,
    readonly startOffset: string,
    private readonly sessions: Set<SqlServerCaptureSession>,
  ) {
    sessions.add(this);
  }

  readTable(table: SourceTable, options: ReadTableOptions): AsyncIterable<readonly Row[]> {
    if (this.closed) throw new Error('the capture session is disposed');
    return readPages(this.session.runner, table, options);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sessions.delete(this);
    await this.session.close();
  }
}
