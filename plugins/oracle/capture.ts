import type { CaptureSession } from '../../core/plugin/index.js';
import type { OracleSession } from './client/session.js';
import { SCN_AND_OPEN_TRANSACTIONS } from './client/sql.js';
import { compareScn, minScn } from './logminer/scn.js';
import { formatOffset } from './offset.js';
import { readTable, type SnapshotSessions } from './snapshot/snapshot-reader.js';

/**
 * The flashback SCN `S` and where mining must resume so that every transaction open at `S` is
 * seen from its start: `resume = min(START_SCN of the open transactions, S)`, read in one
 * statement so no transaction can start or end between the two reads.
 */
export async function captureStart(session: OracleSession): Promise<{ scn: string; resumeScn: string }> {
  const rows = await session.execute(SCN_AND_OPEN_TRANSACTIONS);
  const scn = String(rows[0]?.CURRENT_SCN ?? '');
  let resumeScn = scn;
  for (const row of rows) {
    if (row.START_SCN !== null && row.START_SCN !== undefined)
      resumeScn = minScn(resumeScn, String(row.START_SCN));
  }
  return { scn, resumeScn: compareScn(resumeScn, scn) <= 0 ? resumeScn : scn };
}

/**
 * A snapshot pinned at flashback SCN `S`: each table is read `AS OF SCN S` on a session of its
 * own, in primary-key pages (keyset), so it is exactly the source at `S`; `startOffset` is
 * `S;from=<resume>`, which sorts after every commit at `S` (those are in the snapshot) and makes
 * the stream mine the transactions open at `S` from their start. Nothing is created at the source.
 */
export async function startCapture(
  catalog: OracleSession,
  sessions: SnapshotSessions,
): Promise<CaptureSession> {
  const { scn, resumeScn } = await captureStart(catalog);
  return {
    startOffset: formatOffset({ scn, resumeScn }),
    readTable: (table, options) => readTable(sessions, table, scn, options),
    async [Symbol.asyncDispose]() {},
  };
}
