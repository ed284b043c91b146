import type { SourcePlugin } from './source-plugin.js';

/**
 * How users may name a source table or column, and the one canonical form Tributary keeps.
 *
 * Canonical form (what `qualifiedName` gives; shown in `attributes`, in `tables`, and what rules
 * are matched against): `database.table` where the source has no schemas (MySQL, where database =
 * schema), otherwise `schema.table` — the connector's database is implied.
 *
 * Accepted as well, where the source has schemas (`SourcePlugin.hasSchemas`, PostgreSQL, SQL
 * Server, Oracle): the SynchDB/Debezium form with the connector's database in front,
 * `database.schema.table` (`postgres.public.orders`, `testDB.dbo.orders`, `FREE.DBZUSER.ORDERS`);
 * a leading `<database>.` is stripped when it equals the connector's database (exactly, or else
 * ignoring letter case). Columns likewise: `schema.table.column` or `database.schema.table.column`.
 */
export interface SourceNaming {
  /** The connector's source database. */
  readonly database: string;
  /** Whether the source's tables live in schemas (see `SourcePlugin.hasSchemas`). */
  readonly hasSchemas: boolean;
}

/** The naming a connector of `plugin`'s kind on `database` uses. */
export function sourceNaming(plugin: Pick<SourcePlugin, 'hasSchemas'>, database: string): SourceNaming {
  return { database, hasSchemas: plugin.hasSchemas !== false };
}

/** A table name as written (two or three parts) in its canonical form. */
export function canonicalTableName(written: string, naming: SourceNaming): string {
  return withoutDatabase(written.trim(), naming, 3);
}

/** A column name as written (`table.column` in any table form) in its canonical form. */
export function canonicalColumnName(written: string, naming: SourceNaming): string {
  return withoutDatabase(written.trim(), naming, 4);
}

/** Strips a leading `<database>.` from a name of at least `parts` dot-separated parts. */
function withoutDatabase(name: string, naming: SourceNaming, parts: number): string {
  if (!naming.hasSchemas) return name;
  const dot = name.indexOf('.');
  if (dot < 0 || name.split('.').length < parts) return name;
  const first = name.slice(0, dot);
  const same = first === naming.database || first.toLowerCase() === naming.database.toLowerCase();
  return same ? name.slice(dot + 1) : name;
}
