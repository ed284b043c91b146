import { MIGRATIONS } from './migrations/index.js';
import type { TargetDatabase } from './target-database.js';

/** Any fixed 64-bit number; serialises concurrent migrators on one database. */
const MIGRATION_LOCK = 7_291_044_110_352n;

/**
 * Brings the `tributary` schema up to date. Pending migrations and their rows in
 * `tributary.schema_migrations` commit in one transaction (all or none); concurrent servers wait on
 * an advisory lock.
 * Returns the versions applied now.
 */
export async function migrate(db: TargetDatabase): Promise<number[]> {
  return db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE SCHEMA IF NOT EXISTS tributary');
    await client.query(`CREATE TABLE IF NOT EXISTS tributary.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM tributary.schema_migrations',
    );
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO tributary.schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
