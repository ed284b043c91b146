import { describe, expect, inject, it } from 'vitest';
import { createMysqlDatabase, mysqlConfig } from '../plugins/mysql/mysql-contract-source.js';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const harness = useFileServer(inject('targetClusterUrl'));

const ADD = 'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }';
const UPDATE =
  'mutation ($n: String!, $i: UpdateConnectorInput!) { updateConnector(name: $n, input: $i) { name } }';
const DELETE = `mutation ($n: String!, $f: Boolean) {
  deleteConnectorDetailed(name: $n, force: $f) { name leftBehind { kind name dropStatement note } unknownLeftovers }
}`;
const CHECK = `query ($n: String!) { checkConnector(name: $n) {
  ok checks { name ok detail hint } unknownTables { name setting closest notSelected }
  tables { source destination primaryKey columns { source sourceType name type nullable } }
} }`;

interface Deletion {
  name: string;
  leftBehind: { kind: string; name: string; dropStatement: string; note: string | null }[];
  unknownLeftovers: boolean;
}

const api = async <T>(query: string, variables: Record<string, unknown> = {}) => {
  const result = await gql<T>(harness.server.url, query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
};

const state = async (name: string) => {
  const data = await api<{ connector: { state: { stage: string; state: string; error: string | null } } }>(
    'query ($n: String!) { connector(name: $n) { state { stage state error } } }',
    { n: name },
  );
  return data.connector.state;
};

/** Starts the connector and waits until it streams; then stops it, so its capture point is recorded. */
async function startThenStop(name: string): Promise<void> {
  await api(`mutation { startConnector(name: "${name}") { name } }`);
  await waitFor(`${name} to stream`, async () => {
    const current = await state(name);
    if (current.error) throw new Error(current.error);
    return current.stage === 'CHANGE_DATA_CAPTURE' && current.state === 'POLLING' ? current : undefined;
  });
  await api(`mutation { stopConnector(name: "${name}") { name } }`);
}

async function postgresSource(prefix: string): Promise<TestDatabase> {
  const source = await createTestDatabase(inject('sourceClusterUrl'), prefix);
  await source.query('CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, tier numeric(5,2))');
  await source.query('CREATE TABLE orders (id bigint PRIMARY KEY, customer int)');
  await source.query("INSERT INTO customers VALUES (1, 'ada', 1.5)");
  return source;
}

const slotExists = async (source: TestDatabase, slot: string) =>
  (await source.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot])).rowCount === 1;

describe('deleting a connector whose source cannot be reached', () => {
  it('refuses a PostgreSQL connector with a wrong port, naming its slot and publication and how to drop them', async () => {
    await using source = await postgresSource('del_pg');
    await api(ADD, { i: { name: 'pg_gone', type: 'postgres', ...postgresConfig(source) } });
    await startThenStop('pg_gone');
    expect(await slotExists(source, 'tributary_pg_gone')).toBe(true);
    await api(UPDATE, { n: 'pg_gone', i: { port: 1 } });

    const refused = await gql(harness.server.url, DELETE, { n: 'pg_gone' });
    expect(errorCode(refused)).toBe('SOURCE_ERROR');
    const message = refused.errors?.[0]?.message ?? '';
    expect(message).toMatch(
      /^cannot remove the capture of "pg_gone" at the source: cannot connect to PostgreSQL/,
    );
    expect(message).toContain(
      "replication slot tributary_pg_gone (drop it with: SELECT pg_drop_replication_slot('tributary_pg_gone'))",
    );
    expect(message).toContain(
      'publication tributary_pg_gone (drop it with: DROP PUBLICATION IF EXISTS "tributary_pg_gone")',
    );
    expect(message).toMatch(/delete with force: true/);
    expect(
      (await api<{ connector: unknown }>('{ connector(name: "pg_gone") { name } }')).connector,
    ).not.toBeNull();

    const forced = await api<{ deleteConnectorDetailed: Deletion }>(DELETE, { n: 'pg_gone', f: true });
    expect(forced.deleteConnectorDetailed).toEqual({
      name: 'pg_gone',
      leftBehind: [
        {
          kind: 'replication slot',
          name: 'tributary_pg_gone',
          dropStatement: "SELECT pg_drop_replication_slot('tributary_pg_gone')",
          note: null,
        },
        {
          kind: 'publication',
          name: 'tributary_pg_gone',
          dropStatement: 'DROP PUBLICATION IF EXISTS "tributary_pg_gone"',
          note: null,
        },
      ],
      unknownLeftovers: false,
    });
    expect(
      (await api<{ connector: unknown }>('{ connector(name: "pg_gone") { name } }')).connector,
    ).toBeNull();
    // the statements it gave remove what was left
    expect(await slotExists(source, 'tributary_pg_gone')).toBe(true);
    for (const { dropStatement } of forced.deleteConnectorDetailed.leftBehind)
      await source.query(dropStatement);
    expect(await slotExists(source, 'tributary_pg_gone')).toBe(false);
    expect(
      (await source.query("SELECT 1 FROM pg_publication WHERE pubname = 'tributary_pg_gone'")).rowCount,
    ).toBe(0);
  });

  it('deletes a PostgreSQL connector that never created its capture without reaching the source', async () => {
    await using source = await postgresSource('del_pg_new');
    await api(ADD, { i: { name: 'pg_never', type: 'postgres', ...postgresConfig(source), port: 1 } });
    const deleted = await api<{ deleteConnectorDetailed: Deletion }>(DELETE, { n: 'pg_never' });
    expect(deleted.deleteConnectorDetailed).toEqual({
      name: 'pg_never',
      leftBehind: [],
      unknownLeftovers: false,
    });
  });

  it('deletes a PostgreSQL connector whose source is reachable, removing its slot and publication', async () => {
    await using source = await postgresSource('del_pg_ok');
    await api(ADD, { i: { name: 'pg_ok', type: 'postgres', ...postgresConfig(source) } });
    await startThenStop('pg_ok');
    const deleted = await api<{ deleteConnector: boolean }>('mutation { deleteConnector(name: "pg_ok") }');
    expect(deleted.deleteConnector).toBe(true);
    expect(await slotExists(source, 'tributary_pg_ok')).toBe(false);
  });

  it('deletes with force a connector whose stored settings no longer parse, saying its leftovers are unknown', async () => {
    await using source = await postgresSource('del_pg_bad');
    await api(ADD, { i: { name: 'pg_bad', type: 'postgres', ...postgresConfig(source) } });
    // e.g. written by an older version whose plugin accepted a slot name this one refuses
    await harness.db.query(
      `UPDATE tributary.connectors SET options = '{"slotName": "Not Valid"}' WHERE name = 'pg_bad'`,
    );
    const refused = await gql(harness.server.url, DELETE, { n: 'pg_bad' });
    expect(errorCode(refused)).toBe('INVALID_INPUT');
    const forced = await api<{ deleteConnectorDetailed: Deletion }>(DELETE, { n: 'pg_bad', f: true });
    expect(forced.deleteConnectorDetailed).toEqual({
      name: 'pg_bad',
      leftBehind: [],
      unknownLeftovers: true,
    });
  });

  it('deletes a MySQL connector with a wrong password without force: nothing was created at the source', async () => {
    await using source = await createMysqlDatabase('del_my', inject('mariadbUrl'));
    await source.query('CREATE TABLE items (id int PRIMARY KEY, label varchar(20))');
    await api(ADD, { i: { name: 'my_gone', type: 'mysql', ...mysqlConfig(source) } });
    await startThenStop('my_gone');
    await api(UPDATE, { n: 'my_gone', i: { password: 'not-the-password' } });
    const deleted = await gql<{ deleteConnector: boolean }>(
      harness.server.url,
      'mutation { deleteConnector(name: "my_gone") }',
    );
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data?.deleteConnector).toBe(true);
    expect(
      (await api<{ connector: unknown }>('{ connector(name: "my_gone") { name } }')).connector,
    ).toBeNull();
  });
});

describe('a misspelled table', () => {
  it('fails the start naming the unknown table and the closest existing one', async () => {
    await using source = await postgresSource('typo_start');
    await api(ADD, {
      i: {
        name: 'pg_typo',
        type: 'postgres',
        ...postgresConfig(source),
        tables: ['public.customers', 'public.custmers'],
      },
    });
    await api('mutation { startConnector(name: "pg_typo") { name } }');
    const failed = await waitFor('the start to fail', async () => {
      const current = await state('pg_typo');
      return current.error ? current : undefined;
    });
    expect(failed.state).toBe('STOPPED');
    expect(failed.error).toBe(
      'unknown table public.custmers in tables (did you mean public.customers?); ' +
        'fix the names with updateConnector (names are schema.table, or db.table for MySQL, spelled as the source spells them)',
    );
    // nothing was created: no slot, no destination table
    expect(await slotExists(source, 'tributary_pg_typo')).toBe(false);
    const tables = await harness.db.query('SELECT 1 FROM pg_tables WHERE schemaname = $1', [source.name]);
    expect(tables.rowCount).toBe(0);
  });
});

interface Check {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string; hint: string | null }[];
  unknownTables: { name: string; setting: string; closest: string[]; notSelected: boolean }[];
  tables: {
    source: string;
    destination: string;
    primaryKey: string[];
    columns: { source: string; sourceType: string; name: string; type: string; nullable: boolean }[];
  }[];
}

describe('checkConnector', () => {
  it('answers the checks and the tables a start would replicate, under the mapping rules, writing nothing', async () => {
    await using source = await postgresSource('check_ok');
    await api(ADD, {
      i: { name: 'pg_check', type: 'postgres', ...postgresConfig(source), tables: ['public.customers'] },
    });
    await api(
      'mutation { addObjectMapping(connector: "pg_check", kind: TABLE, source: "public.customers", destination: "crm.clients") { kind } }',
    );
    const { checkConnector } = await api<{ checkConnector: Check }>(CHECK, { n: 'pg_check' });
    expect(checkConnector.ok).toBe(true);
    expect(checkConnector.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining(['connection', 'wal_level', 'tables']),
    );
    expect(checkConnector.checks.every((check) => check.ok)).toBe(true);
    expect(checkConnector.unknownTables).toEqual([]);
    expect(checkConnector.tables).toEqual([
      {
        source: 'public.customers',
        destination: 'crm.clients',
        primaryKey: ['id'],
        columns: [
          { source: 'id', sourceType: 'integer', name: 'id', type: 'integer', nullable: false },
          { source: 'name', sourceType: 'text', name: 'name', type: 'text', nullable: false },
          { source: 'tier', sourceType: 'numeric', name: 'tier', type: 'numeric(5,2)', nullable: true },
        ],
      },
    ]);
    expect(await slotExists(source, 'tributary_pg_check')).toBe(false);
    expect(
      (await source.query("SELECT 1 FROM pg_publication WHERE pubname = 'tributary_pg_check'")).rowCount,
    ).toBe(0);
    expect((await harness.db.query("SELECT 1 FROM pg_namespace WHERE nspname = 'crm'")).rowCount).toBe(0);
    expect((await state('pg_check')).state).toBe('STOPPED');
  });

  it('reports a misspelled table with the closest names, and still plans the others', async () => {
    await using source = await postgresSource('check_typo');
    await api(ADD, {
      i: {
        name: 'pg_check_typo',
        type: 'postgres',
        ...postgresConfig(source),
        tables: ['public.customers', 'public.custmers'],
      },
    });
    const { checkConnector } = await api<{ checkConnector: Check }>(CHECK, { n: 'pg_check_typo' });
    expect(checkConnector.ok).toBe(false);
    expect(checkConnector.unknownTables).toEqual([
      { name: 'public.custmers', setting: 'tables', closest: ['public.customers'], notSelected: false },
    ]);
    expect(checkConnector.checks.find((check) => check.name === 'tables')).toMatchObject({
      ok: false,
      detail: 'unknown table public.custmers in tables (did you mean public.customers?)',
    });
    expect(checkConnector.tables.map((table) => table.destination)).toEqual([`${source.name}.customers`]);
  });

  it('reports a source it cannot reach as a failed connection check', async () => {
    await using source = await postgresSource('check_port');
    await api(ADD, { i: { name: 'pg_check_port', type: 'postgres', ...postgresConfig(source), port: 1 } });
    const { checkConnector } = await api<{ checkConnector: Check }>(CHECK, { n: 'pg_check_port' });
    expect(checkConnector).toMatchObject({ ok: false, tables: [], unknownTables: [] });
    expect(checkConnector.checks).toEqual([
      {
        name: 'connection',
        ok: false,
        detail: expect.stringMatching(/^cannot connect to PostgreSQL at .*:1, database/),
        hint: 'correct host, port, user, password or database with updateConnector',
      },
    ]);
  });
});
