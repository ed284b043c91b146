import type { SourceTable } from '../../../core/plugin/index.js';
import { quoteIdent, quoteLiteral, quoteTable } from '../client/identifiers.js';
import { sqlState } from '../client/source-errors.js';
import type { Sql } from '../client/sql.js';

const CREATED_BY_US = 'created by Tributary for change capture; dropped with the capture';

/**
 * Makes the publication publish at least `tables`: creates it for exactly those tables when it is
 * missing, otherwise adds the ones it lacks (`ALTER PUBLICATION ... ADD TABLE`). A publication
 * `FOR ALL TABLES` already has them. Partitions publish through their root
 * (`publish_via_partition_root`), the name the snapshot reads. A publication it creates carries
 * the comment `CREATED_BY_US`, so that `dropPublication` removes only its own.
 */
export async function ensurePublication(
  sql: Sql,
  name: string,
  tables: readonly SourceTable[],
): Promise<void> {
  const [publication] = await sql<{ all_tables: boolean }>(
    'SELECT puballtables AS all_tables FROM pg_publication WHERE pubname = $1',
    [name],
  );
  if (publication === undefined) {
    const list =
      tables.length === 0 ? '' : ` FOR TABLE ${tables.map((table) => quoteTable(table.ref)).join(', ')}`;
    try {
      await sql(`CREATE PUBLICATION ${quoteIdent(name)}${list} WITH (publish_via_partition_root = true)`);
      await sql(`COMMENT ON PUBLICATION ${quoteIdent(name)} IS ${quoteLiteral(CREATED_BY_US)}`);
      return;
    } catch (error) {
      if (sqlState(error) !== '42710') throw error;
    }
  }
  if (publication?.all_tables) return;
  const missing = await unpublished(sql, name, tables);
  if (missing.length === 0) return;
  await sql(
    `ALTER PUBLICATION ${quoteIdent(name)} ADD TABLE ${missing.map((table) => quoteTable(table.ref)).join(', ')}`,
  );
}

/** Drops the publication if `ensurePublication` created it; one a user made and named in the options stays. */
export async function dropPublication(sql: Sql, name: string): Promise<void> {
  const ours = await sql(
    `SELECT 1 FROM pg_publication WHERE pubname = $1 AND obj_description(oid, 'pg_publication') = $2`,
    [name, CREATED_BY_US],
  );
  if (ours.length > 0) await sql(`DROP PUBLICATION IF EXISTS ${quoteIdent(name)}`);
}

async function unpublished(sql: Sql, name: string, tables: readonly SourceTable[]): Promise<SourceTable[]> {
  if (tables.length === 0) return [];
  const published = await sql<{ schema: string; name: string }>(
    'SELECT schemaname AS schema, tablename AS name FROM pg_publication_tables WHERE pubname = $1',
    [name],
  );
  const names = new Set(published.map((row) => JSON.stringify([row.schema, row.name])));
  return tables.filter((table) => !names.has(JSON.stringify([table.ref.schema, table.ref.name])));
}

/**
 * Makes a publication `ensurePublication` created publish every table of `schema`, present and
 * future (`ADD TABLES IN SCHEMA`), so that a table created there later is published from its
 * creating transaction on, rows written in that transaction included. Needs PostgreSQL 15 and a
 * superuser; returns false (tables then join one by one, see DdlTracker) when either is missing,
 * when the publication is an administrator's, or when it is `FOR ALL TABLES` (nothing to do).
 */
export async function publishSchema(sql: Sql, name: string, schema: string): Promise<boolean> {
  const [facts] = await sql<{ able: boolean; published: boolean }>(
    `SELECT current_setting('server_version_num')::int >= 150000
              AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
              AND obj_description(p.oid, 'pg_publication') = $2 AND NOT p.puballtables AS able,
            EXISTS (SELECT 1 FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid
                    WHERE pn.pnpubid = p.oid AND n.nspname = $3) AS published
     FROM pg_publication p WHERE p.pubname = $1`,
    [name, CREATED_BY_US, schema],
  );
  if (facts === undefined || !facts.able) return false;
  if (!facts.published)
    await sql(`ALTER PUBLICATION ${quoteIdent(name)} ADD TABLES IN SCHEMA ${quoteIdent(schema)}`);
  return true;
}
