import type { ConnectorRecord } from '../connectors/connector-record.js';
import { existingTablesPolicy } from '../connectors/engine-options.js';
import type { SnapshotMode } from '../plugin/source-plugin.js';
import { type TableConflict, TableConflictError } from '../target/table-conflict-error.js';
import {
  type DestinationRef,
  findSharedDestinations,
  findTableConflicts,
  type Queryable,
} from '../target/table-ownership.js';

/**
 * Refuses a start, before anything is written, when two of its source tables would land in one
 * destination table, when it would write into a destination table another connector owns, or into an existing table no connector owns while the connector's
 * `existingTables` policy is FAIL (NEVER adopts unowned tables by design). Throws
 * `TableConflictError` naming every such table, its owner and how to map the table elsewhere.
 */
export async function checkTableOwnership(
  db: Queryable,
  record: Pick<ConnectorRecord, 'name' | 'options'>,
  mode: SnapshotMode,
  targets: Iterable<DestinationRef>,
): Promise<void> {
  const refused = (await ownershipConflicts(db, record, mode, targets)).filter(
    (conflict) => conflict.resolution === 'refuse',
  );
  if (refused.length > 0) throw new TableConflictError(record.name, refused);
}

/** Every destination conflict of a start (see `checkTableOwnership`), refused or resolved by policy. */
export async function ownershipConflicts(
  db: Queryable,
  record: Pick<ConnectorRecord, 'name' | 'options'>,
  mode: SnapshotMode,
  targets: Iterable<DestinationRef>,
): Promise<TableConflict[]> {
  const list = [...targets];
  const shared = findSharedDestinations(record.name, list);
  const owned = await findTableConflicts(db, record.name, list, {
    policy: existingTablesPolicy(record),
    mode,
  });
  return [...shared, ...owned];
}
