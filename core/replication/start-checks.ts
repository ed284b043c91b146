import type { ConnectorRecord } from '../connectors/connector-record.js';
import { assertTablesExist } from '../connectors/unknown-tables.js';
import type { SourceConnection } from '../plugin/source-connection.js';
import type { SourceTable } from '../plugin/source-table.js';
import { PrerequisiteError } from './prerequisite-error.js';

/**
 * A start's checks: discovers the connector's tables, then runs the plugin's prerequisite checks
 * on exactly those tables, so a per-table prerequisite (replica identity, CDC enabled on the
 * table, supplemental logging) names the table that misses it and never a table of another
 * connector. A discovery that fails (no such database, no catalog access) is reported by the
 * checks that can run without tables when one of them fails. Then every selected table must exist
 * and at least one must be selected. A stop that comes meanwhile ends it between steps.
 */
export async function discoverAndCheck(
  connection: SourceConnection,
  record: ConnectorRecord,
  signal: AbortSignal,
): Promise<SourceTable[]> {
  let tables: SourceTable[];
  try {
    tables = await connection.discover(record.tables);
  } catch (error) {
    const failed = (await connection.check()).filter((check) => !check.ok);
    if (failed.length > 0) throw new PrerequisiteError(failed);
    throw error;
  }
  signal.throwIfAborted();
  const failed = (await connection.check(tables.length > 0 ? tables : undefined)).filter(
    (check) => !check.ok,
  );
  if (failed.length > 0) throw new PrerequisiteError(failed);
  signal.throwIfAborted();
  await assertTablesExist(connection, record, tables);
  if (tables.length === 0) {
    throw new Error(
      `none of the selected tables exist at the source (${record.tables?.join(', ') ?? 'all tables'})`,
    );
  }
  return tables;
}
