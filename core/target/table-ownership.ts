import type pg from 'pg';
import type { SnapshotMode } from '../plugin/source-plugin.js';
import type { ExistingTablesPolicy } from './existing-tables-policy.js';
import { type TableConflict, TableConflictError } from './table-conflict-error.js';
import { tableExists } from './table-ddl.js';

/**
 * Ownership of destination tables (`tributary.table_owners`): every destination table a connector
 * writes into belongs to that connector alone, so two connectors never share one (the second
 * snapshot would empty the first's rows). A table is claimed in the target transaction that
 * creates, copies, adopts or moves it, and released when its source table is dropped or the
 * connector is deleted (cascade). The table's primary key makes concurrent claims safe: the second
 * claimer waits for the first to commit and is refused.
 */

/** Where a connector's source table lands; `TargetTable` is one. */
export interface DestinationRef {
  readonly sourceName: string;
  readonly schema: string;
  readonly name: string;
}

/** Something to run queries on: the pool (`TargetDatabase`) or a client in a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface TableOwner {
  readonly connector: string;
  readonly sourceTable: string;
}

/**
 * What a claim found: `created` the table did not exist and is now the connector's; `owned` it
 * already was; `adopted` it existed and no connector owned it (the caller applies the policy).
 */
export type ClaimOutcome = 'created' | 'owned' | 'adopted';

export async function ownerOf(db: Queryable, schema: string, table: string): Promise<TableOwner | null> {
  const { rows } = await db.query<TableOwner>(
    `SELECT connector, source_table AS "sourceTable" FROM tributary.table_owners
      WHERE destination_schema = $1 AND destination_table = $2`,
    [schema, table],
  );
  return rows[0] ?? null;
}

/**
 * Claims the destination of `table` for `connector` in the caller's transaction (call it before
 * the table is created), and releases what the same source table owned elsewhere before (a moved
 * or renamed table). Throws `TableConflictError` when another connector owns it.
 */
export async function claimTable(
  client: pg.ClientBase,
  connector: string,
  table: DestinationRef,
): Promise<ClaimOutcome> {
  const existed = await tableExists(client, table.schema, table.name);
  for (let attempt = 0; ; attempt++) {
    const { rowCount } = await client.query(
      `INSERT INTO tributary.table_owners (destination_schema, destination_table, connector, source_table)
       VALUES ($1, $2, $3, $4) ON CONFLICT (destination_schema, destination_table) DO NOTHING`,
      [table.schema, table.name, connector, table.sourceName],
    );
    let outcome: ClaimOutcome | null = rowCount ? (existed ? 'adopted' : 'created') : null;
    if (!outcome) {
      const { rows } = await client.query<TableOwner>(
        `SELECT connector, source_table AS "sourceTable" FROM tributary.table_owners
          WHERE destination_schema = $1 AND destination_table = $2 FOR UPDATE`,
        [table.schema, table.name],
      );
      const [owner] = rows;
      // released between the two statements (its owner was deleted): claim it again
      if (!owner && attempt === 0) continue;
      if (owner?.connector !== connector) throw ownedBy(connector, table, owner ?? null);
      outcome = 'owned';
    }
    await client.query(
      `UPDATE tributary.table_owners SET source_table = $4
        WHERE destination_schema = $1 AND destination_table = $2 AND connector = $3 AND source_table <> $4`,
      [table.schema, table.name, connector, table.sourceName],
    );
    await client.query(
      `DELETE FROM tributary.table_owners WHERE connector = $3 AND source_table = $4
          AND (destination_schema, destination_table) <> ($1, $2)`,
      [table.schema, table.name, connector, table.sourceName],
    );
    return outcome;
  }
}

/** Releases the destination a source table of the connector owns (the table was dropped). */
export async function releaseTable(
  client: pg.ClientBase,
  connector: string,
  sourceTable: string,
): Promise<void> {
  await client.query('DELETE FROM tributary.table_owners WHERE connector = $1 AND source_table = $2', [
    connector,
    sourceTable,
  ]);
}

export interface ConflictOptions {
  /** The connector's `existingTables` policy for tables that exist and that no connector owns. */
  readonly policy: ExistingTablesPolicy;
  /** The start's snapshot mode: NEVER adopts unowned tables whatever the policy. */
  readonly mode: SnapshotMode;
}

/**
 * The destination tables among `targets` that `connector` does not own and would write into:
 * those another connector owns (always `refuse`), and those that exist with no owner (resolved by
 * `options`). Reads only; writes nothing, so a dry run (`checkConnector`) can call it as it is.
 * Tables the connector owns and tables that do not exist yet are no conflict.
 */
export async function findTableConflicts(
  db: Queryable,
  connector: string,
  targets: Iterable<DestinationRef>,
  options: ConflictOptions,
): Promise<TableConflict[]> {
  const list = [...targets];
  const { rows } = await db.query<{
    source_table: string;
    schema: string;
    name: string;
    owner: string | null;
    owner_source: string | null;
  }>(
    `SELECT t.source_table, t.schema, t.name, o.connector AS owner, o.source_table AS owner_source
       FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(source_table, schema, name, n)
       LEFT JOIN tributary.table_owners o
         ON o.destination_schema = t.schema AND o.destination_table = t.name
      WHERE CASE WHEN o.connector IS NULL THEN to_regclass(format('%I.%I', t.schema, t.name)) IS NOT NULL
                 ELSE o.connector <> $1 END
      ORDER BY t.n`,
    [
      connector,
      list.map((table) => table.sourceName),
      list.map((table) => table.schema),
      list.map((table) => table.name),
    ],
  );
  return rows.map((row) => ({
    sourceTable: row.source_table,
    schema: row.schema,
    table: row.name,
    owner: row.owner,
    ownerSourceTable: row.owner_source,
    resolution: row.owner !== null ? 'refuse' : unownedResolution(options),
  }));
}

/**
 * Destinations that two or more of the connector's own source tables land in (e.g. `a.notes` and
 * `b.notes` of one PostgreSQL database, whose schema the default names drop): one conflict per
 * extra source table, owned by the connector itself through the first. Pure; reads nothing.
 */
export function findSharedDestinations(
  connector: string,
  targets: Iterable<DestinationRef>,
): TableConflict[] {
  const first = new Map<string, DestinationRef>();
  const conflicts: TableConflict[] = [];
  for (const table of targets) {
    const key = JSON.stringify([table.schema, table.name]);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, table);
      continue;
    }
    conflicts.push({
      sourceTable: table.sourceName,
      schema: table.schema,
      table: table.name,
      owner: connector,
      ownerSourceTable: earlier.sourceName,
      resolution: 'refuse',
    });
  }
  return conflicts;
}

function unownedResolution({ policy, mode }: ConflictOptions): TableConflict['resolution'] {
  if (mode === 'never') return 'adopt';
  return policy === 'fail' ? 'refuse' : policy;
}

function ownedBy(connector: string, table: DestinationRef, owner: TableOwner | null): TableConflictError {
  return new TableConflictError(connector, [
    {
      sourceTable: table.sourceName,
      schema: table.schema,
      table: table.name,
      owner: owner?.connector ?? '(unknown)',
      ownerSourceTable: owner?.sourceTable ?? null,
      resolution: 'refuse',
    },
  ]);
}
