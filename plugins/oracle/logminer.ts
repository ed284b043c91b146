import {
  HistoryLostError,
  type ReadChangesOptions,
  type SourceEvent,
  type SourceTable,
} from '../../core/plugin/index.js';
import type { OracleRow, OracleSession } from './client/session.js';
import { miningFailure } from './client/source-errors.js';
import { ADD_LOGFILE, CURRENT_SCN, END_LOGMNR, LOG_FILES, MINED_ROWS, START_LOGMNR } from './client/sql.js';
import type { LogMinerRow } from './logminer/logminer-row.js';
import { RedoChanges } from './logminer/redo-changes.js';
import { compareScn, minScn } from './logminer/scn.js';
import {
  type CommittedTransaction,
  TransactionBuffer,
  type TransactionBufferOptions,
} from './logminer/transaction-buffer.js';
import { formatOffset, isAtOrBefore, parseOffset } from './offset.js';

export interface MiningSettings {
  /** The dedicated LogMiner session (in the CDB root when mining a PDB). */
  readonly session: OracleSession;
  readonly owner: string;
  /** Re-describes tables from the catalog (after DDL). */
  readonly describe: (names: readonly string[]) => Promise<SourceTable[]>;
  /** Forces the redo of every commit so far to disk (see `flushRedo` in client/sql.ts). */
  readonly flush: (scn: string) => Promise<void>;
  readonly pollIntervalMs: number;
  readonly maxWindowScns: number;
  readonly fetchSize?: number;
  readonly buffer?: TransactionBufferOptions;
}

/**
 * The LogMiner stream: mines SCN windows `[start, end]` one after the other on one session and
 * yields committed transactions in commit order, each followed by its Checkpoint.
 * - Start: the resume SCN of `from` (the oldest transaction open at that point); transactions at
 *   or before `from` are mined again (to see open ones from their start) but not emitted.
 * - Upper bound: each window ends at an SCN read *before* a committed write to the flush table;
 *   that commit makes LGWR write all redo up to it, so every commit at or below the bound is in
 *   the logs the window reads (a commit SCN can be handed out before its redo is written).
 * - Logs: archived and online logs from the start SCN; a missing one (the first starts after the
 *   SCN, or a sequence gap) or ORA-01291 is HistoryLostError, never a silent skip.
 * - Back-pressure: rows are pulled from V$LOGMNR_CONTENTS a batch at a time as events are consumed;
 *   open transactions are held by the spilling TransactionBuffer (bounded memory).
 * - Idle: a window with no commit ends with a Checkpoint `<end>;from=<oldest open start>`.
 */
export async function* mineChanges(
  from: string,
  options: ReadChangesOptions,
  settings: MiningSettings,
): AsyncIterable<SourceEvent> {
  const position = parseOffset(from);
  let start = position.resumeScn ?? position.scn;
  let last = formatOffset(
    position.resumeScn === undefined && position.xid !== undefined
      ? { ...position, resumeScn: position.scn }
      : position,
  );
  const buffer = new TransactionBuffer(settings.buffer);
  const changes = new RedoChanges(settings.owner, options, settings.describe);
  try {
    while (!options.signal.aborted) {
      const bound = await currentScn(settings.session);
      if (compareScn(start, bound) > 0) {
        await sleep(settings.pollIntervalMs, options.signal);
        continue;
      }
      await settings.flush(bound);
      const end = minScn(bound, (BigInt(start) + BigInt(settings.maxWindowScns) - 1n).toString());
      for await (const tx of mineWindow(settings, start, end, buffer, options.signal)) {
        if (isAtOrBefore(tx.commitScn, tx.xid, from)) {
          tx.discard();
          continue;
        }
        yield* changes.of(tx);
        last = formatOffset({ scn: tx.commitScn, xid: tx.xid, resumeScn: tx.resumeScn });
        yield { kind: 'checkpoint', offset: last, ...(tx.commitTime ? { sourceTs: tx.commitTime } : {}) };
      }
      const idle = formatOffset({ scn: end, resumeScn: minScn(buffer.resumeScn() ?? end, end) });
      if (idle > last) {
        last = idle;
        yield { kind: 'checkpoint', offset: idle };
      }
      start = (BigInt(end) + 1n).toString();
      if (compareScn(end, bound) === 0) await sleep(settings.pollIntervalMs, options.signal);
    }
  } finally {
    buffer.close();
  }
}

/** One window: the logs added, LogMiner started, rows pulled into the buffer, LogMiner ended. */
async function* mineWindow(
  settings: MiningSettings,
  start: string,
  end: string,
  buffer: TransactionBuffer,
  signal: AbortSignal,
): AsyncIterable<CommittedTransaction> {
  const { session } = settings;
  try {
    for (const name of await logFiles(session, start)) await session.execute(ADD_LOGFILE, { name });
    await session.execute(START_LOGMNR, { startScn: start, endScn: end });
  } catch (error) {
    throw miningFailure(error);
  }
  try {
    for await (const batch of session.query(
      MINED_ROWS,
      { owner: settings.owner },
      settings.fetchSize ?? 1000,
    )) {
      signal.throwIfAborted();
      for (const row of batch) yield* buffer.accept(minedRow(row));
    }
    yield* buffer.endWindow();
  } catch (error) {
    throw miningFailure(error);
  } finally {
    await session.execute(END_LOGMNR).catch(() => undefined);
  }
}

/** The logs holding `scn` onwards, in sequence order; a gap or a missing first log is lost history. */
export async function logFiles(session: OracleSession, scn: string): Promise<string[]> {
  const rows = await session.execute(LOG_FILES, { scn });
  const bySequence = new Map<string, OracleRow>();
  for (const row of rows)
    if (!bySequence.has(String(row['SEQUENCE#']))) bySequence.set(String(row['SEQUENCE#']), row);
  const logs = [...bySequence.values()].sort((a, b) =>
    compareScn(String(a['SEQUENCE#']), String(b['SEQUENCE#'])),
  );
  const first = logs[0];
  if (first === undefined || compareScn(String(first['FIRST_CHANGE#']), scn) > 0) {
    throw new HistoryLostError(
      `no redo log holds SCN ${scn} any more (the archived logs were deleted): a new snapshot is needed`,
    );
  }
  logs.forEach((log, index) => {
    const previous = logs[index - 1];
    if (
      previous !== undefined &&
      BigInt(String(log['SEQUENCE#'])) !== BigInt(String(previous['SEQUENCE#'])) + 1n
    ) {
      throw new HistoryLostError(
        `redo log sequence ${BigInt(String(previous['SEQUENCE#'])) + 1n} is missing (archived log deleted): a new snapshot is needed`,
      );
    }
  });
  return logs.map((log) => String(log.NAME));
}

async function currentScn(session: OracleSession): Promise<string> {
  const [row] = await session.execute(CURRENT_SCN);
  return String(row?.CURRENT_SCN);
}

/** A `MINED_ROWS` row as the transaction buffer takes it. */
export function minedRow(row: OracleRow): LogMinerRow {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    scn: String(row.SCN),
    xid: String(row.XID),
    operationCode: Number(row.OPERATION_CODE),
    rollback: Number(row.ROLLBACK) === 1,
    rowId: text(row.ROW_ID),
    csf: Number(row.CSF) === 1,
    sqlRedo: text(row.SQL_REDO),
    segOwner: text(row.SEG_OWNER),
    tableName: text(row.TABLE_NAME),
    ...(row.TIMESTAMP instanceof Date ? { timestamp: row.TIMESTAMP } : {}),
    info: text(row.INFO),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
