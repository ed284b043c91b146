import { type SourceColumn, type SourceTable, type TableSelection } from '../../core/plugin/index.js';
import { canonicalTableName, qualifiedName } from '../../core/plugin/kit.js';
import { DISCOVER_COLUMNS } from './statements.js';
import type { DriverRow, QueryRunner } from './tedious-query.js';

/** Types whose `max_length` counts bytes of UTF-16: the length in characters is half. */
const WIDE_TYPES = new Set(['nchar', 'nvarchar']);
const SIZED_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);
const SCALED_TYPES = new Set(['decimal', 'numeric']);
const FRACTION_TYPES = new Set(['time', 'datetime2', 'datetimeoffset']);

/**
 * A column as `sys.columns` describes it. TYPE_NAME(system_type_id) gives the base type
 * (`timestamp` for rowversion columns is reported as `rowversion`); `(max)` columns have no length.
 */
export function columnFromCatalog(row: DriverRow, position: number): SourceColumn {
  const raw = String(row.type_name).toLowerCase();
  const type = raw === 'timestamp' ? 'rowversion' : raw;
  const maxLength = Number(row.max_length);
  const length = SIZED_TYPES.has(type)
    ? maxLength === -1
      ? null
      : WIDE_TYPES.has(type)
        ? maxLength / 2
        : maxLength
    : null;
  return {
    name: String(row.column_name),
    position,
    type,
    length,
    precision: SCALED_TYPES.has(type) ? Number(row.precision) : null,
    scale: SCALED_TYPES.has(type) || FRACTION_TYPES.has(type) ? Number(row.scale) : null,
    nullable: Boolean(row.is_nullable),
    autoIncrement: Boolean(row.is_identity),
  };
}

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
