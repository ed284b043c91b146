import type pg from 'pg';
import { claimTable, releaseTable } from '../target/table-ownership.js';
import type { TargetTable } from '../target/target-table.js';

/**
 * Records where each column of a table landed (SynchDB's synchdb_attribute), inside the DDL's
 * transaction, and claims the destination table for the connector (see `table-ownership.ts`;
 * `TableConflictError` when another connector owns it). Columns gone from the table stay, marked
 * dropped, as SynchDB marks them.
 */
export async function writeAttributes(
  client: pg.ClientBase,
  connector: string,
  table: TargetTable,
): Promise<void> {
  const columns = table.source.columns;
  await claimTable(client, connector, table);
  await client.query(
    `UPDATE tributary.attributes SET dropped = true
      WHERE connector = $1 AND source_table = $2 AND NOT (source_column = ANY($3::text[]))`,
    [connector, table.sourceName, columns.map((column) => column.name)],
  );
  await client.query(
    `INSERT INTO tributary.attributes (connector, source_table, position, source_column, source_type,
       destination_schema, destination_table, destination_column, destination_type, dropped)
     SELECT $1, $2, c.position, c.source_column, c.source_type, $3, $4, c.destination_column, c.destination_type, false
       FROM unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS c(position, source_column, source_type, destination_column, destination_type)
     ON CONFLICT (connector, source_table, position) DO UPDATE SET source_column = EXCLUDED.source_column,
       source_type = EXCLUDED.source_type, destination_schema = EXCLUDED.destination_schema,
       destination_table = EXCLUDED.destination_table, destination_column = EXCLUDED.destination_column,
       destination_type = EXCLUDED.destination_type, dropped = false`,
    [
      connector,
      table.sourceName,
      table.schema,
      table.name,
      columns.map((column) => column.position),
      columns.map((column) => column.name),
      columns.map((column) => column.type.toLowerCase()),
      table.columns.map((column) => column.name),
      table.columns.map((column) => column.type),
    ],
  );
}

/** Forgets a dropped table's columns, and releases its destination table. */
export async function dropAttributes(
  client: pg.ClientBase,
  connector: string,
  sourceTable: string,
): Promise<void> {
  await client.query('DELETE FROM tributary.attributes WHERE connector = $1 AND source_table = $2', [
    connector,
    sourceTable,
  ]);
  await releaseTable(client, connector, sourceTable);
}
