import type { SourceColumn, SourceTable, TableRef, TableSelection } from '../../core/plugin/index.js';
import type { Sql } from './client/sql.js';
import { type ResolvedType, resolveTypes, typeSizes } from './schema/column-types.js';

/** A column as a Relation message (or the catalog) gives it: name, type OID and modifier. */
export interface RawColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typmod: number;
}

/** A table definition together with each column's base type OID (its value parser's key). */
export interface DescribedTable {
  readonly table: SourceTable;
  readonly baseTypeOids: readonly number[];
}

interface ColumnRow {
  relid: string;
  name: string;
  typid: string;
  typmod: number;
  notnull: boolean;
  generated: boolean;
  key_position: number | null;
}

/**
 * The selected tables (ordinary and partitioned) in selection order. Entries are `schema.table`
 * exactly as the catalog spells both names (case-sensitive; spaces and dots allowed), matched
 * whole, so no entry is ever split or case-folded. `null` selects every table of `schema` the user
 * may SELECT from, except partitions (their rows are read, and published, through the parent).
 * Unknown names and repeats are omitted.
 */
export async function discoverTables(
  sql: Sql,
  database: string,
  schema: string,
  selection: TableSelection,
): Promise<SourceTable[]> {
  const found = await sql<{ oid: string; schema: string; name: string }>(
    `SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p')
       AND (($1::text[] IS NULL AND n.nspname = $2 AND NOT c.relispartition
             AND has_table_privilege(c.oid, 'SELECT'))
            OR n.nspname || '.' || c.relname = ANY($1::text[]))
     ORDER BY n.nspname, c.relname`,
    [selection === null ? null : [...selection], schema],
  );
  const described = await describeTables(
    sql,
    found.map((row) => ({ oid: Number(row.oid), ref: { database, schema: row.schema, name: row.name } })),
  );
  const tables = found.flatMap((row) => described.get(Number(row.oid))?.table ?? []);
  if (selection === null) return tables;
  const byName = new Map(tables.map((table) => [`${table.ref.schema}.${table.ref.name}`, table]));
  return [...new Set(selection)].flatMap((name) => byName.get(name) ?? []);
}

/** Describes tables by OID from the catalog as it is now. Tables that no longer exist are left out. */
export async function describeTables(
  sql: Sql,
  tables: readonly { readonly oid: number; readonly ref: TableRef }[],
): Promise<Map<number, DescribedTable>> {
  const catalog = await catalogColumns(
    sql,
    tables.map((table) => table.oid),
  );
  const types = await resolveTypes(
    sql,
    catalog.map((row) => Number(row.typid)),
  );
  const result = new Map<number, DescribedTable>();
  for (const { oid, ref } of tables) {
    const rows = catalog.filter((row) => Number(row.relid) === oid);
    const columns = rows.map((row) => ({ name: row.name, typeOid: Number(row.typid), typmod: row.typmod }));
    if (rows.length > 0) result.set(oid, describe(ref, columns, rows, types));
  }
  return result;
}

/**
 * Describes a table whose columns a Relation message gives: names, order, types and sizes from the
 * message (the shape at that point of the WAL); nullability, generation and primary key from the
 * catalog as it is now. A column the catalog no longer has is reported nullable.
 */
export async function describeRelation(
  sql: Sql,
  oid: number,
  ref: TableRef,
  columns: readonly RawColumn[],
): Promise<DescribedTable> {
  const catalog = await catalogColumns(sql, [oid]);
  const types = await resolveTypes(
    sql,
    columns.map((column) => column.typeOid),
  );
  return describe(ref, columns, catalog, types);
}

/** A column's facts as computed elsewhere (the DDL trigger reads them from pg_catalog). */
export interface ColumnFacts extends RawColumn {
  readonly notnull: boolean;
  readonly generated: boolean;
  /** 1-based position in the primary key, or null. */
  readonly keyPosition: number | null;
}

/** Describes a table from column facts given whole (a DDL message); only type names are looked up. */
export async function describeColumns(
  sql: Sql,
  ref: TableRef,
  columns: readonly ColumnFacts[],
): Promise<DescribedTable> {
  const types = await resolveTypes(
    sql,
    columns.map((column) => column.typeOid),
  );
  const rows = columns.map(
    (column): ColumnRow => ({
      relid: '',
      name: column.name,
      typid: String(column.typeOid),
      typmod: column.typmod,
      notnull: column.notnull,
      generated: column.generated,
      key_position: column.keyPosition,
    }),
  );
  return describe(ref, columns, rows, types);
}

function describe(
  ref: TableRef,
  columns: readonly RawColumn[],
  catalog: readonly ColumnRow[],
  types: ReadonlyMap<number, ResolvedType>,
): DescribedTable {
  const facts = new Map(catalog.map((row) => [row.name, row]));
  const sourceColumns = columns.map((column, index): SourceColumn => {
    const type = types.get(column.typeOid);
    const name = type?.name ?? 'text';
    const typmod = column.typmod >= 0 ? column.typmod : (type?.domainTypmod ?? -1);
    const fact = facts.get(column.name);
    return {
      name: column.name,
      position: index + 1,
      type: name,
      ...typeSizes(name, typmod),
      nullable: !(fact?.notnull ?? false),
      autoIncrement: fact?.generated ?? false,
    };
  });
  const present = new Set(columns.map((column) => column.name));
  const primaryKey = catalog
    .filter((row) => row.key_position !== null && present.has(row.name))
    .sort((a, b) => (a.key_position ?? 0) - (b.key_position ?? 0))
    .map((row) => row.name);
  return {
    table: { ref, columns: sourceColumns, primaryKey },
    baseTypeOids: columns.map((column) => types.get(column.typeOid)?.baseOid ?? column.typeOid),
  };
}

/** Live columns in attnum order; `generated` means identity or a serial's `nextval` default. */
async function catalogColumns(sql: Sql, oids: readonly number[]): Promise<ColumnRow[]> {
  if (oids.length === 0) return [];
  return sql<ColumnRow>(
    `SELECT a.attrelid::text AS relid, a.attname AS name, a.atttypid::text AS typid, a.atttypmod AS typmod,
            a.attnotnull AS notnull,
            (a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false)) AS generated,
            array_position(pk.conkey, a.attnum) AS key_position
     FROM pg_attribute a
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     LEFT JOIN pg_constraint pk ON pk.conrelid = a.attrelid AND pk.contype = 'p'
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
}
