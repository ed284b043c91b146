import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { CaptureSession, ReadTableOptions, Row, SourceTable } from '../../core/plugin/index.js';
import { onAbort } from '../../core/plugin/on-abort.js';
import { sqlState } from './client/source-errors.js';
import type { Sql } from './client/sql.js';
import { offsetFromLsnText } from './offset.js';
import { ensurePublication } from './pgoutput/publication.js';
import { createSlotCommand, slotState } from './pgoutput/slot.js';
import { SnapshotReader } from './snapshot/snapshot-reader.js';

/** What `startCapture` needs from the connection. */
export interface CaptureSource {
  readonly sql: Sql;
  readonly slot: string;
  readonly publication: string;
  /** Opens a session; a replication session (walsender) when `replication` is true. */
  open(replication: boolean, signal: AbortSignal): Promise<pg.Client>;
  readonly signal: AbortSignal;
  /** Open sessions; each removes itself when disposed. */
  readonly sessions: Set<PostgresCaptureSession>;
}

interface PinnedSnapshot {
  /** The walsender session that exported the snapshot; the snapshot lives as long as it stays idle. */
  readonly holder: pg.Client;
  readonly consistentPoint: string;
  readonly snapshotName: string;
}

/**
 * Publishes the tables, then pins a snapshot with the slot's own consistent point:
 * - no slot yet: creates the permanent slot over a replication session with an exported snapshot;
 *   the stream starts exactly where the snapshot ends;
 * - the slot exists: creates a TEMPORARY slot the same way, for a newer snapshot and its consistent
 *   point, leaving the permanent slot's position where `ack` left it. PostgreSQL drops the
 *   temporary slot when its session ends, i.e. when the capture session is disposed.
 */
export async function startCapture(
  source: CaptureSource,
  tables: readonly SourceTable[],
): Promise<PostgresCaptureSession> {
  await ensurePublication(source.sql, source.publication, tables);
  let pinned: PinnedSnapshot | undefined;
  if ((await slotState(source.sql, source.slot)) === undefined) {
    pinned = await pin(source, source.slot, false).catch((error: unknown) => {
      if (sqlState(error) === '42710') return undefined;
      throw error;
    });
  }
  pinned ??= await pin(source, temporarySlotName(source.slot), true);
  return new PostgresCaptureSession(pinned, source);
}

async function pin(source: CaptureSource, slot: string, temporary: boolean): Promise<PinnedSnapshot> {
  const holder = await source.open(true, source.signal);
  const stop = () => void holder.end().catch(() => undefined);
  const stopListening = onAbort(source.signal, stop);
  try {
    const result = await holder.query<{ consistent_point: string; snapshot_name: string }>(
      createSlotCommand(slot, temporary),
    );
    const [row] = result.rows;
    if (row === undefined) throw new Error(`CREATE_REPLICATION_SLOT ${slot} returned no row`);
    return { holder, consistentPoint: row.consistent_point, snapshotName: row.snapshot_name };
  } catch (error) {
    await holder.end().catch(() => undefined);
    throw error;
  } finally {
    stopListening();
  }
}

/** `<slot>_<8 hex digits>`, within the 63 characters a slot name may have. */
function temporarySlotName(slot: string): string {
  return `${slot.slice(0, 54)}_${randomBytes(4).toString('hex')}`;
}

/**
 * A pinned snapshot: `startOffset` is the slot's consistent point, and every read imports the
 * exported snapshot, so rows are exactly the source as of that offset (`handoff: 'exact'`).
 * Disposing ends the holding session and any read still running.
 */
export class PostgresCaptureSession implements CaptureSession {
  readonly startOffset: string;
  private readonly reader: SnapshotReader;
  private readonly sessions = new Set<pg.Client>();
  private closed = false;

  constructor(
    private readonly pinned: PinnedSnapshot,
    private readonly source: CaptureSource,
  ) {
    this.startOffset = offsetFromLsnText(pinned.consistentPoint);
    source.sessions.add(this);
    this.reader = new SnapshotReader(pinned.snapshotName, async (signal) => {
      if (this.closed) throw new Error('the capture session is disposed');
      const client = await source.open(false, signal);
      this.sessions.add(client);
      client.once('end', () => this.sessions.delete(client));
      return client;
    });
  }

  readTable(table: SourceTable, options: ReadTableOptions): AsyncIterable<readonly Row[]> {
    return this.reader.rows(table, options);
  }

  copyTable(table: SourceTable, options: { readonly signal: AbortSignal }): AsyncIterable<Buffer> {
    return this.reader.copy(table, options.signal);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.source.sessions.delete(this);
    const sessions = [this.pinned.holder, ...this.sessions];
    await Promise.all(sessions.map((session) => session.end().catch(() => undefined)));
  }
}
