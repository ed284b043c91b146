import type pg from 'pg';
import type { ConnectorRecord } from '../connectors/connector-record.js';
import { existingTablesPolicy } from '../connectors/engine-options.js';
import { TableConflictError } from '../target/table-conflict-error.js';
import { createTable, truncateTables } from '../target/table-ddl.js';
import { claimTable } from '../target/table-ownership.js';
import type { TargetTable } from '../target/target-table.js';

/**
 * Claims `table` for the connector and makes it ready, in the caller's transaction: creates it
 * when missing and, for a `copy`, empties it. A table that existed with no owner follows the
 * connector's `existingTables` policy: FAIL refuses (`TableConflictError`), TRUNCATE empties it
 * (for `create` too), APPEND keeps its rows. A table another connector owns is refused.
 */
export async function takeDestination(
  client: pg.ClientBase,
  record: Pick<ConnectorRecord, 'name' | 'options'>,
  table: TargetTable,
  purpose: 'copy' | 'create',
): Promise<void> {
  const outcome = await claimTable(client, record.name, table);
  const policy = existingTablesPolicy(record);
  if (outcome === 'adopted' && policy === 'fail') {
    throw new TableConflictError(record.name, [
      {
        sourceTable: table.sourceName,
        schema: table.schema,
        table: table.name,
        owner: null,
        ownerSourceTable: null,
        resolution: 'refuse',
      },
    ]);
  }
  await createTable(client, table);
  const empty = outcome === 'adopted' ? policy === 'truncate' : purpose === 'copy';
  if (empty) await truncateTables(client, [table]);
}
