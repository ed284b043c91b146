import type pg from 'pg';
import { qualify, quoteIdent } from './quote.js';
import type { TargetColumn, TargetTable } from './target-table.js';

function columnDefinition(column: TargetColumn): string {
  const name = quoteIdent(column.name);
  const notNull = column.nullable ? '' : ' NOT NULL';
  const check = column.unsigned ? ` CHECK (${name} >= 0)` : '';
  return `${name} ${column.type}${notNull}${check}`;
}

/**
 * Creates a schema when missing, inside the caller's transaction. CREATE SCHEMA IF NOT EXISTS is
 * not safe against a concurrent creator (two connectors of one source database), so the losing
 * creator's unique violation is rolled back to a savepoint and ignored.
 */
export async function ensureSchema(client: pg.ClientBase, schema: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (rowCount) return;
  await client.query('SAVEPOINT tributary_schema');
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query('RELEASE SAVEPOINT tributary_schema');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT tributary_schema');
    if ((error as { code?: string }).code !== '23505') throw error;
  }
}

/** Creates the schema and table when missing (never alters an existing one). In a transaction. */
export async function createTable(client: pg.ClientBase, table: TargetTable): Promise<void> {
  const parts = table.columns.map(columnDefinition);
  if (table.primaryKey.length > 0) parts.push(`PRIMARY KEY (${table.primaryKey.map(quoteIdent).join(', ')})`);
  await ensureSchema(client, table.schema);
  await client.query(`CREATE TABLE IF NOT EXISTS ${qualify(table.schema, table.name)} (${parts.join(', ')})`);
}

export async function tableExists(client: pg.ClientBase, schema: string, name: string): Promise<boolean> {
  const { rows } = await client.query(
    'SELECT to_regclass(format($1::text, $2::text, $3::text)) IS NOT NULL AS found',
    ['%I.%I', schema, name],
  );
  return rows[0]?.found === true;
}

export async function truncateTables(client: pg.ClientBase, tables: readonly TargetTable[]): Promise<void> {
  if (tables.length === 0) return;
  await client.query(`TRUNCATE ${tables.map((table) => qualify(table.schema, table.name)).join(', ')}`);
}

export async function dropTable(client: pg.ClientBase, table: TargetTable): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${qualify(table.schema, table.name)}`);
}

export async function renameTable(client: pg.ClientBase, from: TargetTable, to: TargetTable): Promise<void> {
  if (from.schema !== to.schema) {
    await ensureSchema(client, to.schema);
    await client.query(`ALTER TABLE ${qualify(from.schema, from.name)} SET SCHEMA ${quoteIdent(to.schema)}`);
  }
  if (from.name !== to.name) {
    await client.query(`ALTER TABLE ${qualify(to.schema, from.name)} RENAME TO ${quoteIdent(to.name)}`);
  }
}

/** A destination column renamed in place (destination names). */
export interface ColumnRename {
  readonly from: string;
  readonly to: string;
}

/**
 * Brings an existing table from `current` to `next`: renames columns in place (keeping their
 * values), adds new columns, drops removed ones, changes types (with a USING cast, so text → int
 * works when the data allows), and adds the primary key when the table had none. Idempotent:
 * replaying it changes nothing.
 */
export async function alterTable(
  client: pg.ClientBase,
  currentTable: TargetTable,
  next: TargetTable,
  renames: readonly ColumnRename[] = [],
): Promise<void> {
  const target = qualify(next.schema, next.name);
  const current = await renameColumns(client, currentTable, target, renames);
  const before = new Map(current.columns.map((column) => [column.name, column]));
  const after = new Set(next.columns.map((column) => column.name));
  const actions: string[] = [];
  for (const column of current.columns) {
    if (!after.has(column.name)) actions.push(`DROP COLUMN IF EXISTS ${quoteIdent(column.name)}`);
  }
  for (const column of next.columns) {
    const old = before.get(column.name);
    if (!old) {
      actions.push(`ADD COLUMN IF NOT EXISTS ${columnDefinition({ ...column, nullable: true })}`);
      continue;
    }
    const name = quoteIdent(column.name);
    if (old.type !== column.type)
      actions.push(`ALTER COLUMN ${name} TYPE ${column.type} USING ${name}::${column.type}`);
    if (old.nullable !== column.nullable)
      actions.push(`ALTER COLUMN ${name} ${column.nullable ? 'DROP' : 'SET'} NOT NULL`);
  }
  if (current.primaryKey.length === 0 && next.primaryKey.length > 0) {
    actions.push(`ADD PRIMARY KEY (${next.primaryKey.map(quoteIdent).join(', ')})`);
  }
  if (actions.length > 0) await client.query(`ALTER TABLE ${target} ${actions.join(', ')}`);
}

/** Applies the renames whose old column exists and new name is free; returns the table after them. */
async function renameColumns(
  client: pg.ClientBase,
  table: TargetTable,
  target: string,
  renames: readonly ColumnRename[],
): Promise<TargetTable> {
  let columns = table.columns;
  for (const { from, to } of renames) {
    if (from === to || !columns.some((c) => c.name === from) || columns.some((c) => c.name === to)) continue;
    await client.query(`ALTER TABLE ${target} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`);
    columns = columns.map((column) => (column.name === from ? { ...column, name: to } : column));
  }
  const primaryKey = table.primaryKey.map((key) => renames.find((r) => r.from === key)?.to ?? key);
  return { ...table, columns, primaryKey };
}
