import { type SourceColumn, type SourceTable, type TableSelection } from '../../core/plugin/index.js';
import { canonicalTableName, qualifiedName } from '../../core/plugin/kit.js';
import type { QueryRunner } from './client/sql.js';
import { DISCOVER_COLUMNS } from './client/statements.js';
import { columnFromCatalog } from './schema/column-types.js';

/**
 * The selected tables of the connector's database (all user tables of `schema` when the
 * selection is null), by canonical name `schema.table`; a bare name is in `schema`, and SynchDB's
 * `database.schema.table` is accepted. Unknown names are omitted.
 */
export async function discoverTables(
  runner: QueryRunner,
  database: string,
  schema: string,
  selection: TableSelection,
): Promise<SourceTable[]> {
  const tables = new Map<string, { columns: SourceColumn[]; keys: [number, string][] }>();
  const refs = new Map<string, { schema: string; name: string }>();
  for (const row of await runner.query(DISCOVER_COLUMNS)) {
    const ref = { schema: String(row.schema_name), name: String(row.table_name) };
    const key = `${ref.schema}.${ref.name}`;
    let table = tables.get(key);
    if (!table) {
      table = { columns: [], keys: [] };
      tables.set(key, table);
      refs.set(key, ref);
    }
    const column = columnFromCatalog(row, table.columns.length + 1);
    table.columns.push(column);
    const ordinal = Number(row.key_ordinal);
    if (ordinal > 0) table.keys.push([ordinal, column.name]);
  }
  const build = (key: string): SourceTable | undefined => {
    const table = tables.get(key);
    const ref = refs.get(key);
    if (!table || !ref) return undefined;
    return {
      ref: { database, schema: ref.schema, name: ref.name },
      columns: table.columns,
      primaryKey: table.keys.sort((a, b) => a[0] - b[0]).map(([, name]) => name),
    };
  };
  if (selection === null)
    return [...refs.entries()]
      .filter(([, ref]) => ref.schema === schema)
      .flatMap(([key]) => build(key) ?? []);
  const naming = { database, hasSchemas: true };
  const found: SourceTable[] = [];
  const seen = new Set<string>();
  for (const written of selection) {
    const canonical = canonicalTableName(written, naming);
    const key = canonical.includes('.') ? canonical : `${schema}.${canonical}`;
    const table = build(key);
    if (table && !seen.has(qualifiedName(table.ref))) {
      seen.add(qualifiedName(table.ref));
      found.push(table);
    }
  }
  return found;
}
