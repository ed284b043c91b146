import { describe, expect, inject, it } from 'vitest';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';

const harness = useFileServer(inject('targetClusterUrl'));

const CHECK = `query ($i: AddConnectorInput!) { checkConnectorSettings(input: $i) {
  ok checks { name ok detail hint } unknownTables { name setting closest }
  tables { source destination columns { name type } }
} }`;

interface Check {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string; hint: string | null }[];
  unknownTables: { name: string; setting: string; closest: string[] }[];
  tables: { source: string; destination: string; columns: { name: string; type: string }[] }[];
}

const check = (input: Record<string, unknown>) =>
  gql<{ checkConnectorSettings: Check }>(harness.server.url, CHECK, { i: input });

async function answer(input: Record<string, unknown>): Promise<Check> {
  const result = await check(input);
  if (result.errors || !result.data) throw new Error(result.text);
  return result.data.checkConnectorSettings;
}

async function source(clusterUrl: string, prefix: string): Promise<TestDatabase> {
  const database = await createTestDatabase(clusterUrl, prefix);
  await database.query('CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)');
  return database;
}

/** Nothing of `name` anywhere: no connector row, no slot or publication, no destination schema. */
async function expectNothingSaved(name: string, at: TestDatabase): Promise<void> {
  const saved = await harness.db.query('SELECT 1 FROM tributary.connectors WHERE name = $1', [name]);
  expect(saved.rowCount).toBe(0);
  const slot = await at.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [
    `tributary_${name}`,
  ]);
  expect(slot.rowCount).toBe(0);
  const publication = await at.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [
    `tributary_${name}`,
  ]);
  expect(publication.rowCount).toBe(0);
  const schema = await harness.db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [at.name]);
  expect(schema.rowCount).toBe(0);
}

describe('checkConnectorSettings', () => {
  it('checks settings that are not saved: every check passes and the tables are planned, nothing is saved', async () => {
    await using db = await source(inject('sourceClusterUrl'), 'settings_ok');
    const result = await answer({ name: 'unsaved_ok', type: 'postgres', ...postgresConfig(db) });
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['connection', 'wal_level', 'tables']),
    );
    expect(result.checks.every((c) => c.ok)).toBe(true);
    expect(result.tables).toEqual([
      {
        source: 'public.customers',
        destination: `${db.name}.customers`,
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'name', type: 'text' },
        ],
      },
    ]);
    await expectNothingSaved('unsaved_ok', db);
  });

  it('refuses a wrong password as a failed connection check with its fix, and never answers or logs the password', async () => {
    await using db = await source(inject('sourceClusterUrl'), 'settings_pw');
    const password = 'wr0ng-Pa55word-7f3c';
    const result = await check({ name: 'unsaved_pw', type: 'postgres', ...postgresConfig(db), password });
    expect(result.data?.checkConnectorSettings).toEqual({
      ok: false,
      checks: [
        {
          name: 'connection',
          ok: false,
          detail: expect.stringContaining('password authentication failed'),
          hint: 'correct host, port, user, password or database in the settings, then addConnector',
        },
      ],
      unknownTables: [],
      tables: [],
    });
    expect(result.text).not.toContain(password);
    expect(harness.server.logs.join('\n')).not.toContain(password);
    await expectNothingSaved('unsaved_pw', db);
  });

  it('reports a missing prerequisite (wal_level) with the setting that fixes it, and a misspelled table', async () => {
    // the target cluster runs with the default wal_level, replica
    await using db = await source(inject('targetClusterUrl'), 'settings_wal');
    const result = await answer({
      name: 'unsaved_wal',
      type: 'postgres',
      ...postgresConfig(db),
      tables: ['public.custmers'],
    });
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.name === 'wal_level')).toEqual({
      name: 'wal_level',
      ok: false,
      detail: 'wal_level is replica',
      hint: "ALTER SYSTEM SET wal_level = 'logical'; then restart PostgreSQL",
    });
    expect(result.checks.find((c) => c.name === 'tables')).toMatchObject({
      ok: false,
      hint: 'correct tables / snapshotTables in the settings, then addConnector',
    });
    expect(result.unknownTables).toEqual([
      { name: 'public.custmers', setting: 'tables', closest: ['public.customers'] },
    ]);
    await expectNothingSaved('unsaved_wal', db);
  });

  it('refuses bad input with the codes addConnector gives: unknown type, invalid settings, a name in use', async () => {
    const base = {
      name: 'unsaved_bad',
      host: 'localhost',
      port: 5432,
      user: 'u',
      password: 'p',
      database: 'd',
    };
    const unknownType = await check({ ...base, type: 'nosuchdb' });
    expect(errorCode(unknownType)).toBe('UNSUPPORTED');
    expect(unknownType.errors?.[0]?.message).toMatch(
      /^unknown source type "nosuchdb"; available types: .*postgres/,
    );

    const badPort = await check({ ...base, type: 'postgres', port: 0 });
    expect(errorCode(badPort)).toBe('INVALID_INPUT');
    expect(badPort.errors?.[0]?.message).toBe('port must be between 1 and 65535');

    const badName = await check({ ...base, type: 'postgres', name: 'no spaces' });
    expect(errorCode(badName)).toBe('INVALID_INPUT');
    expect(badName.errors?.[0]?.message).toMatch(/^name must start with a letter/);

    const missingHost = await gql(harness.server.url, CHECK, {
      i: { ...base, type: 'postgres', host: undefined },
    });
    expect(errorCode(missingHost)).toBe('INVALID_INPUT');
    expect(missingHost.errors?.[0]?.message).toContain('host');

    const added = await gql(
      harness.server.url,
      'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
      { i: { ...base, type: 'memory', name: 'taken' } },
    );
    expect(added.errors).toBeUndefined();
    const taken = await check({ ...base, type: 'memory', name: 'taken' });
    expect(errorCode(taken)).toBe('ALREADY_EXISTS');
    expect(taken.errors?.[0]?.message).toBe('a connector named "taken" already exists; choose another name');
  });
});
