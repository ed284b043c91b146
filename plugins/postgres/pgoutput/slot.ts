import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryLostError, SourceUnavailableError } from '../../../core/plugin/index.js';
import { quoteIdent } from '../client/identifiers.js';
import { sqlState } from '../client/source-errors.js';
import type { Sql } from '../client/sql.js';
import { lsnFromText, lsnToText } from '../offset.js';

/** What pg_replication_slots says about the capture's slot. */
export interface SlotState {
  readonly confirmedFlush: bigint | null;
  readonly activePid: number | null;
  readonly database: string | null;
  readonly plugin: string | null;
  readonly walStatus: string | null;
}

/** How long a slot may stay held by a walsender that is shutting down (a stream just stopped). */
const RELEASE_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

export async function slotState(sql: Sql, slot: string): Promise<SlotState | undefined> {
  const [row] = await sql<{
    confirmed_flush: string | null;
    active_pid: number | null;
    database: string | null;
    plugin: string | null;
    wal_status: string | null;
  }>(
    `SELECT confirmed_flush_lsn::text AS confirmed_flush, active_pid, database, plugin, wal_status
     FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  if (row === undefined) return undefined;
  return {
    confirmedFlush: row.confirmed_flush === null ? null : lsnFromText(row.confirmed_flush),
    activePid: row.active_pid,
    database: row.database,
    plugin: row.plugin,
    walStatus: row.wal_status,
  };
}

/**
 * Checks that the slot still holds every change after `from`, waiting (up to 10 s) for a walsender
 * that still holds it, e.g. the one of a stream that just stopped. Throws HistoryLostError when the
 * slot is missing, invalidated, of another database, or has confirmed a position after `from`
 * (PostgreSQL would silently start there); SourceUnavailableError when it stays in use.
 */
export async function assertHistoryAfter(
  sql: Sql,
  slot: string,
  database: string,
  from: bigint,
  signal: AbortSignal,
): Promise<void> {
  const state = await waitForRelease(sql, slot, signal);
  const where = `replication slot ${slot}`;
  if (state === undefined) {
    throw new HistoryLostError(
      `${where} does not exist (dropped, or never created); a new snapshot is needed`,
    );
  }
  if (state.database !== database || state.plugin !== 'pgoutput') {
    throw new HistoryLostError(
      `${where} belongs to database ${state.database} with plugin ${state.plugin}, not ${database} with pgoutput; a new snapshot is needed`,
    );
  }
  if (state.walStatus === 'lost' || state.confirmedFlush === null) {
    throw new HistoryLostError(
      `${where} was invalidated: the WAL it needs was removed; a new snapshot is needed`,
    );
  }
  if (from < state.confirmedFlush) {
    throw new HistoryLostError(
      `${where} has confirmed ${lsnToText(state.confirmedFlush)}, after the requested ${lsnToText(from)}: ` +
        'the changes in between were released; a new snapshot is needed',
    );
  }
}

async function waitForRelease(sql: Sql, slot: string, signal: AbortSignal): Promise<SlotState | undefined> {
  const deadline = Date.now() + RELEASE_TIMEOUT_MS;
  for (;;) {
    const state = await slotState(sql, slot);
    if (state?.activePid == null) return state;
    if (Date.now() > deadline) {
      throw new SourceUnavailableError(
        `replication slot ${slot} is in use by server process ${state.activePid}; stop the other reader or run SELECT pg_terminate_backend(${state.activePid})`,
      );
    }
    await sleep(POLL_MS, undefined, { signal });
  }
}

/**
 * Moves the slot's confirmed position to `lsn` (never back) over SQL, for acknowledgements made
 * while no stream is open. Retries while a stopping walsender still holds the slot. Returns false
 * when the slot does not exist.
 */
export async function advanceSlot(
  sql: Sql,
  slot: string,
  lsn: bigint,
  signal: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + RELEASE_TIMEOUT_MS;
  for (;;) {
    try {
      const rows = await sql(
        `SELECT CASE WHEN confirmed_flush_lsn < $2::pg_lsn
                THEN (pg_replication_slot_advance(slot_name, $2::pg_lsn)).end_lsn END AS advanced
         FROM pg_replication_slots WHERE slot_name = $1`,
        [slot, lsnToText(lsn)],
      );
      return rows.length > 0;
    } catch (error) {
      if (sqlState(error) !== '55006' || Date.now() > deadline) throw error;
      await sleep(POLL_MS, undefined, { signal });
    }
  }
}

/** Drops the slot if it exists, ending the walsender that holds it first. */
export async function dropSlot(sql: Sql, slot: string): Promise<void> {
  const deadline = Date.now() + RELEASE_TIMEOUT_MS;
  for (;;) {
    await sql(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots
       WHERE slot_name = $1 AND active_pid IS NOT NULL`,
      [slot],
    );
    try {
      await sql('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
        slot,
      ]);
      return;
    } catch (error) {
      if (sqlState(error) === '42704') return;
      if (sqlState(error) !== '55006' || Date.now() > deadline) throw error;
      await sleep(POLL_MS);
    }
  }
}

/**
 * `CREATE_REPLICATION_SLOT` for a logical pgoutput slot whose snapshot is exported, in the syntax
 * every version since PostgreSQL 10 accepts (`EXPORT_SNAPSHOT`, which 15 also spells
 * `(SNAPSHOT 'export')`).
 */
export function createSlotCommand(slot: string, temporary: boolean): string {
  return `CREATE_REPLICATION_SLOT ${quoteIdent(slot)}${temporary ? ' TEMPORARY' : ''} LOGICAL pgoutput EXPORT_SNAPSHOT`;
}
