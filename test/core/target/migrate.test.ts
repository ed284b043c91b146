import { describe, expect, inject, it } from 'vitest';
import { migrate } from '../../../core/target/migrate.js';
import { MIGRATIONS } from '../../../core/target/migrations/index.js';
import { TargetDatabase } from '../../../core/target/target-database.js';
import { createTestDatabase } from '../../support/test-database.js';

const TABLES = [
  'attributes',
  'audit_log',
  'connector_state',
  'connectors',
  'dead_letters',
  'mapping_rules',
  'offsets',
  'schema_migrations',
  'stats',
  'table_owners',
  'table_progress',
];

describe('migrate', () => {
  it('creates the tributary schema on an empty database and records each version', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    await using target = new TargetDatabase(db.url);
    expect(await migrate(target)).toEqual(MIGRATIONS.map((m) => m.version));
    const { rows } = await db.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tributary' ORDER BY table_name",
    );
    expect(rows.map((row) => row.table_name)).toEqual(TABLES);
    const versions = await db.query('SELECT version FROM tributary.schema_migrations ORDER BY version');
    expect(versions.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('applies nothing the second time and keeps stored rows', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    await using target = new TargetDatabase(db.url);
    await migrate(target);
    await db.query(
      "INSERT INTO tributary.connectors (name, type, host, port, \"user\", database, secrets) VALUES ('c', 'memory', 'h', 1, 'u', 'd', 'v1:x')",
    );
    expect(await migrate(target)).toEqual([]);
    expect((await db.query('SELECT name FROM tributary.connectors')).rows).toEqual([{ name: 'c' }]);
  });

  it('lets concurrent servers migrate one database without conflict', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    const targets = [new TargetDatabase(db.url), new TargetDatabase(db.url), new TargetDatabase(db.url)];
    try {
      const applied = await Promise.all(targets.map((target) => migrate(target)));
      expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(targets.map((target) => target.close()));
    }
  });

  it('refuses to store a connector with a port out of range, even bypassing the API', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    await using target = new TargetDatabase(db.url);
    await migrate(target);
    await expect(
      db.query(
        "INSERT INTO tributary.connectors (name, type, host, port, \"user\", database, secrets) VALUES ('c', 'memory', 'h', 0, 'u', 'd', 'v1:x')",
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('gives each destination table recorded before ownership existed to the older connector that wrote it', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    await db.query(`CREATE SCHEMA tributary;
      CREATE TABLE tributary.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const migration of MIGRATIONS.filter((m) => m.version < 4)) {
      await db.query(migration.sql);
      await db.query('INSERT INTO tributary.schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await db.query(`INSERT INTO tributary.connectors (name, type, host, port, "user", database, secrets, created_at)
      VALUES ('older', 'memory', 'h', 1, 'u', 'd', 'v1:x', now() - interval '1 day'),
             ('newer', 'memory', 'h', 1, 'u', 'd', 'v1:x', now())`);
    await db.query(`INSERT INTO tributary.attributes (connector, source_table, position, source_column,
        source_type, destination_schema, destination_table, destination_column)
      VALUES ('newer', 'public.notes', 1, 'id', 'int', 'inventory', 'notes', 'id'),
             ('older', 'inventory.notes', 1, 'id', 'int', 'inventory', 'notes', 'id'),
             ('newer', 'public.items', 1, 'id', 'int', 'shop', 'items', 'id'),
             ('newer', 'public.items', 2, 'v', 'int', 'shop', 'items', 'v')`);
    await using target = new TargetDatabase(db.url);
    expect(await migrate(target)).toContain(4);
    const { rows } = await db.query(
      `SELECT destination_schema, destination_table, connector, source_table FROM tributary.table_owners
        ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      {
        destination_schema: 'inventory',
        destination_table: 'notes',
        connector: 'older',
        source_table: 'inventory.notes',
      },
      {
        destination_schema: 'shop',
        destination_table: 'items',
        connector: 'newer',
        source_table: 'public.items',
      },
    ]);
    await db.query("DELETE FROM tributary.connectors WHERE name = 'older'");
    const left = await db.query('SELECT connector FROM tributary.table_owners');
    expect(left.rows, 'deleting a connector releases its tables').toEqual([{ connector: 'newer' }]);
  });
});
