import type { ReadTableOptions, Row, SourceTable } from '../../../core/plugin/index.js';
import type { OracleSession } from '../client/session.js';
import { snapshotFailure } from '../client/source-errors.js';
import { snapshotPage } from '../client/sql.js';
import { snapshotRow } from './snapshot-value.js';

/** Opens a session set up for catalog and snapshot reads (NLS, UTC, the PDB). */
export type SnapshotSessions = () => Promise<OracleSession>;

/**
 * One table as it was at flashback SCN `scn`, on a session of its own, in primary-key pages
 * (keyset, `afterKey` expanded by hand); a keyless table in one pass. An abort makes the iteration
 * throw; the session is closed however the iteration ends.
 */
export async function* readTable(
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
