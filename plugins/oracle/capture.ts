import {
  type CaptureSession,
  type ReadTableOptions,
  type Row,
  type SourceTable,
} from '../../core/plugin/index.js';
import { compareScn, minScn } from './logminer/scn.js';
import { formatOffset } from './offset.js';
import type { OracleSession } from './session.js';
import { snapshotRow } from './snapshot-value.js';
import { snapshotFailure } from './source-errors.js';
import { SCN_AND_OPEN_TRANSACTIONS, snapshotPage } from './sql.js';

/** Opens a session set up for catalog and snapshot reads (NLS, UTC, the PDB). */
export type SnapshotSessions = () => Promise<OracleSession>;

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

async function* readTable(
  sessions: SnapshotSessions,
  table: SourceTable,
  scn: string,
  options: ReadTableOptions,
): AsyncIterable<readonly Row[]> {
  const session = await sessions();
  const owner = table.ref.schema ?? '';
  const columns = table.columns.map((column) => column.name);
  const key = table.primaryKey;
  const keyIndex = key.map((name) => columns.indexOf(name));
  let after = options.afterKey;
  try {
    for (;;) {
      options.signal.throwIfAborted();
      const binds: Record<string, unknown> = { scn };
      if (key.length > 0) binds.limit = options.batchSize;
      after?.forEach((value, index) => {
        binds[`k${index}`] = value;
      });
      const sql = snapshotPage(owner, table.ref.name, columns, key, after !== undefined);
      let fetched = 0;
      let last: Readonly<Record<string, unknown>> | undefined;
      for await (const batch of session.query(sql, binds, options.batchSize)) {
        options.signal.throwIfAborted();
        fetched += batch.length;
        last = batch.at(-1);
        yield batch.map((row) => snapshotRow(row, table));
      }
      if (key.length === 0 || fetched < options.batchSize || last === undefined) return;
      after = keyIndex.map((index) => last?.[columns[index] ?? '']);
    }
  } catch (error) {
    throw snapshotFailure(`${owner}.${table.ref.name}`, scn, error);
  } finally {
    await session.close();
  }
}
