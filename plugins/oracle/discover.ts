import type { SourceColumn, SourceTable, TableSelection } from '../../core/plugin/index.js';
import type { OracleSession } from './client/session.js';
import { LIST_TABLES, PRIMARY_KEYS, TABLE_COLUMNS } from './client/sql.js';

/** Types whose DATA_LENGTH is a storage size, not a declared length (DATE has 7). */
const LENGTH_TYPES = /^(n?char|n?varchar2?|varchar|raw|character|nchar varying)$/;

/**
 * The tables of `owner` named in `selection` (`OWNER.TABLE`, spelled as Oracle stores it,
 * normally upper case), or all of them for `null`; unknown names are left out. Types keep the
 * size Oracle embeds (`timestamp(6) with time zone`), lower-cased; type-defaults strips it.
 */
export async function discoverTables(
  session: OracleSession,
  database: string,
  owner: string,
  selection: TableSelection,
): Promise<SourceTable[]> {
  const names = (await session.execute(LIST_TABLES, { owner })).map((row) => String(row.TABLE_NAME));
  const wanted =
    selection === null
      ? names
      : names.filter((name) => selection.includes(`${owner}.${name}`) || selection.includes(name));
  if (wanted.length === 0) return [];
  const columns = new Map<string, SourceColumn[]>();
  for (const row of await session.execute(TABLE_COLUMNS, { owner })) {
    const table = String(row.TABLE_NAME);
    const list = columns.get(table) ?? [];
    list.push(describeColumn(row));
    columns.set(table, list);
  }
  const keys = new Map<string, string[]>();
  for (const row of await session.execute(PRIMARY_KEYS, { owner })) {
    const table = String(row.TABLE_NAME);
    keys.set(table, [...(keys.get(table) ?? []), String(row.COLUMN_NAME)]);
  }
  return wanted.map((name) => ({
    ref: { database, schema: owner, name },
    columns: columns.get(name) ?? [],
    primaryKey: keys.get(name) ?? [],
  }));
}

/** One `ALL_TAB_COLS` row as a SourceColumn. */
export function describeColumn(row: Readonly<Record<string, unknown>>): SourceColumn {
  const type = String(row.DATA_TYPE).toLowerCase();
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    name: String(row.COLUMN_NAME),
    position: Number(row.COLUMN_ID),
    type,
    length: LENGTH_TYPES.test(type) ? number(row.CHAR_LENGTH) : null,
    precision: number(row.DATA_PRECISION),
    scale: number(row.DATA_SCALE),
    nullable: row.NULLABLE === 'Y',
    autoIncrement: row.IDENTITY_COLUMN === 'YES',
  };
}
