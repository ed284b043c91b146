import type pg from 'pg';
import { alterTable, type ColumnRename, renameTable, tableExists } from '../target/table-ddl.js';
import { ownerOf } from '../target/table-ownership.js';
import type { TargetColumn, TargetTable } from '../target/target-table.js';
import { writeAttributes } from './attribute-writer.js';

interface LandedColumn {
  readonly source_table: string;
  readonly source_column: string;
  readonly destination_schema: string;
  readonly destination_table: string;
  readonly destination_column: string;
  readonly destination_type: string | null;
}

/** A table the rules could not be applied to; it stays where it is. */
export interface RemapFailure {
  /** The table as it still is at the destination. */
  readonly landed: TargetTable;
  /** Names the table and what was to change, and why it could not. */
  readonly message: string;
}

export interface RemapResult {
  /** A line per table changed. */
  readonly changes: string[];
  readonly failures: RemapFailure[];
}

/**
 * Moves tables that already exist at the destination to where the current rules put them (SynchDB's reload,
 * docs/synchdb-compatibility.md §4.5): a table rule moves or renames the table, a column rule renames the
 * column, a DATATYPE rule changes the column's type with a USING cast (so text → integer works when every
 * value converts). Where each column landed is read from `tributary.attributes`, and rewritten. Runs in the
 * caller's transaction; tables not built yet are left to the snapshot.
 *
 * A table whose change cannot be made (a type the data does not convert to, a destination name
 * already taken or owned by another connector) is left exactly as it was and reported in
 * `failures`. A moved table's ownership moves with it (`writeAttributes` claims the new name).
 */
export async function remapTables(
  client: pg.ClientBase,
  connector: string,
  targets: Iterable<TargetTable>,
): Promise<RemapResult> {
  const { rows } = await client.query<LandedColumn>(
    `SELECT source_table, source_column, destination_schema, destination_table, destination_column,
            destination_type
       FROM tributary.attributes WHERE connector = $1 AND NOT dropped ORDER BY source_table, position`,
    [connector],
  );
  const landed = new Map<string, LandedColumn[]>();
  for (const row of rows) landed.set(row.source_table, [...(landed.get(row.source_table) ?? []), row]);
  const result: RemapResult = { changes: [], failures: [] };
  for (const target of targets) {
    const columns = landed.get(target.sourceName);
    const current = columns && landedTable(target, columns);
    if (!current || !(await tableExists(client, current.schema, current.name))) continue;
    const change = describeChange(current, target);
    if (!change) continue;
    await client.query('SAVEPOINT tributary_remap');
    try {
      await moveTable(client, connector, current, target);
      await client.query('RELEASE SAVEPOINT tributary_remap');
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT tributary_remap');
      const message = `the mapping rules cannot be applied to ${target.sourceName} (${change}): ${(error as Error).message}`;
      result.failures.push({ landed: current, message });
      continue;
    }
    await writeAttributes(client, connector, target);
    result.changes.push(`${target.sourceName}: ${change}`);
  }
  return result;
}

/** The table as it is at the destination: where its columns landed, under which names and types. */
function landedTable(target: TargetTable, columns: readonly LandedColumn[]): TargetTable | undefined {
  const [first] = columns;
  if (!first) return undefined;
  const bySource = new Map(columns.map((column) => [column.source_column, column]));
  const current: TargetColumn[] = target.columns.flatMap((column) => {
    const row = bySource.get(column.source);
    return row
      ? [{ ...column, name: row.destination_column, type: row.destination_type ?? column.type }]
      : [];
  });
  const renamed = new Map(
    target.columns.map((column) => [
      column.name,
      bySource.get(column.source)?.destination_column ?? column.name,
    ]),
  );
  return {
    ...target,
    schema: first.destination_schema,
    name: first.destination_table,
    columns: current,
    primaryKey: target.primaryKey.map((key) => renamed.get(key) ?? key),
  };
}

/** What moving `current` to `target` changes, in words; null when nothing. */
function describeChange(current: TargetTable, target: TargetTable): string | null {
  const parts: string[] = [];
  if (current.schema !== target.schema || current.name !== target.name)
    parts.push(`table ${current.schema}.${current.name} → ${target.schema}.${target.name}`);
  for (const column of target.columns) {
    const old = current.columns.find((candidate) => candidate.source === column.source);
    if (!old) continue;
    if (old.name !== column.name) parts.push(`column ${old.name} → ${column.name}`);
    if (old.type !== column.type) parts.push(`column ${column.name} type ${old.type} → ${column.type}`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}

async function moveTable(
  client: pg.ClientBase,
  connector: string,
  current: TargetTable,
  target: TargetTable,
): Promise<void> {
  if (current.schema !== target.schema || current.name !== target.name) {
    const owner = await ownerOf(client, target.schema, target.name);
    if (owner && owner.connector !== connector)
      throw new Error(
        `${target.schema}.${target.name} belongs to connector "${owner.connector}" (from its ${owner.sourceTable}); choose another destination`,
      );
    if (await tableExists(client, target.schema, target.name))
      throw new Error(`${target.schema}.${target.name} already exists`);
    await renameTable(client, current, target);
  }
  const renames: ColumnRename[] = current.columns.flatMap((column) => {
    const next = target.columns.find((candidate) => candidate.source === column.source);
    return next && next.name !== column.name ? [{ from: column.name, to: next.name }] : [];
  });
  await alterTable(client, { ...current, schema: target.schema, name: target.name }, target, renames);
}
