import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createMysqlDatabase, mysqlConfig } from '../plugins/mysql/mysql-contract-source.js';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const file = useFileServer(inject('targetClusterUrl'));
const NOTES = 'CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)';

interface StateView {
  stage: string;
  state: string;
  error: string | null;
}

/** Runs an operation; resolves with its data or rejects with the first error's code and message. */
async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await gql<T>(file.server.url, query, variables);
  const [error] = result.errors ?? [];
  if (error) throw Object.assign(new Error(error.message), { code: error.extensions?.code });
  return result.data as T;
}

const addConnector = (input: Record<string, unknown>) =>
  api('mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }', { i: input });

const mapTable = (connector: string, source: string, destination: string) =>
  api(
    'mutation ($c: String!, $s: String!, $d: String!) { addObjectMapping(connector: $c, kind: TABLE, source: $s, destination: $d) { destination } }',
    { c: connector, s: source, d: destination },
  );

const lifecycle = (mutation: string, name: string, extra = '') =>
  api(`mutation ($n: String!) { ${mutation}(name: $n${extra}) { name } }`, { n: name });

async function state(name: string): Promise<StateView> {
  const data = await api<{ connector: { state: StateView } }>(
    'query ($n: String!) { connector(name: $n) { state { stage state error } } }',
    { n: name },
  );
  return data.connector.state;
}

const waitStreaming = (name: string) =>
  waitFor(
    `${name} streaming`,
    async () => {
      const view = await state(name);
      if (view.state === 'STOPPED' && view.error) throw new Error(`${name} stopped: ${view.error}`);
      return view.stage === 'CHANGE_DATA_CAPTURE' && view.state === 'POLLING' ? view : undefined;
    },
    60_000,
  );

/** Waits until the connector's job has stopped with an error; returns the error. */
const waitRefused = (name: string) =>
  waitFor(
    `${name} refused`,
    async () => {
      const view = await state(name);
      return view.state === 'STOPPED' && view.error ? view.error : undefined;
    },
    60_000,
  );

async function rows(table: string): Promise<string[]> {
  const { rows } = await file.db.query<{ line: string }>(
    `SELECT id || '|' || body AS line FROM ${table} ORDER BY id`,
  );
  return rows.map((row) => row.line);
}

const waitRows = (table: string, expected: string[]) =>
  waitFor(`${table} to hold ${expected.join(', ')}`, async () => {
    const found = await rows(table).catch(() => []);
    return JSON.stringify(found) === JSON.stringify(expected) ? found : undefined;
  }).catch(async () => expect(await rows(table)).toEqual(expected));

async function owners(schema: string): Promise<string[]> {
  const { rows } = await file.db.query<{ line: string }>(
    `SELECT destination_table || ' ' || connector AS line FROM tributary.table_owners
      WHERE destination_schema = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.line);
}

/** A fresh PostgreSQL source database with `notes` holding `lines` (`id|body`). */
async function postgresNotes(lines: readonly string[]): Promise<TestDatabase> {
  const db = await createTestDatabase(inject('sourceClusterUrl'), 'own');
  await db.query(NOTES);
  for (const line of lines) await db.query('INSERT INTO notes VALUES ($1, $2)', line.split('|'));
  return db;
}

const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

describe('a destination table belongs to one connector', () => {
  it('refuses a second connector, from another source, writing into the first one’s table, leaving the first undisturbed', async () => {
    await using pgSource = await postgresNotes(['1|pg one', '2|pg two']);
    await using mySource = await createMysqlDatabase('own');
    await mySource.query(NOTES);
    await mySource.query("INSERT INTO notes VALUES (1, 'my one')");
    const shared = unique('inventory');
    await addConnector({
      name: 'pg1',
      type: 'postgres',
      ...postgresConfig(pgSource),
      tables: ['public.notes'],
    });
    await addConnector({
      name: 'my1',
      type: 'mysql',
      ...mysqlConfig(mySource),
      tables: [`${mySource.name}.notes`],
    });
    // both rules are accepted while nobody owns the table yet
    await mapTable('pg1', 'public.notes', `${shared}.notes`);
    await mapTable('my1', `${mySource.name}.notes`, `${shared}.notes`);

    await lifecycle('startConnector', 'pg1');
    await waitStreaming('pg1');
    // the dry run reports the conflict before a start is tried
    const { checkConnector } = await api<{
      checkConnector: { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    }>('query { checkConnector(name: "my1") { ok checks { name ok detail } } }');
    expect(checkConnector.ok).toBe(false);
    expect(checkConnector.checks.find((check) => check.name === 'destination')).toMatchObject({
      ok: false,
      detail: expect.stringContaining(`destination table ${shared}.notes belongs to connector "pg1"`),
    });
    await lifecycle('startConnector', 'my1');
    const error = await waitRefused('my1');
    expect(error).toContain(`destination table ${shared}.notes belongs to connector "pg1"`);
    expect(error).toContain(`connector "my1" would write ${mySource.name}.notes into it`);
    expect(error).toContain(
      `addObjectMapping(connector: "my1", kind: TABLE, source: "${mySource.name}.notes", destination: "my1_${shared}.notes")`,
    );

    expect(await rows(`${shared}.notes`)).toEqual(['1|pg one', '2|pg two']);
    expect(await owners(shared)).toEqual(['notes pg1']);
    const { rows: written } = await file.db.query(
      "SELECT 1 FROM tributary.attributes WHERE connector = 'my1'",
    );
    expect(written, 'the refused start wrote nothing').toEqual([]);
    await pgSource.query("INSERT INTO notes VALUES (3, 'pg three')");
    await pgSource.query("UPDATE notes SET body = 'pg one, edited' WHERE id = 1");
    await waitRows(`${shared}.notes`, ['1|pg one, edited', '2|pg two', '3|pg three']);
    expect(await state('pg1')).toEqual({ stage: 'CHANGE_DATA_CAPTURE', state: 'POLLING', error: null });

    // a TABLE rule onto the owned table is refused; the suggested destination works
    await expect(mapTable('my1', `${mySource.name}.notes`, `${shared}.notes`)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`destination table ${shared}.notes belongs to connector "pg1"`),
    });
    await mapTable('my1', `${mySource.name}.notes`, `my1_${shared}.notes`);
    await lifecycle('restartConnector', 'my1');
    await waitStreaming('my1');
    expect(await rows(`"my1_${shared}".notes`)).toEqual(['1|my one']);
    expect(await rows(`${shared}.notes`)).toEqual(['1|pg one, edited', '2|pg two', '3|pg three']);
    await lifecycle('stopConnector', 'my1');
    await api('mutation { deleteConnector(name: "pg1", force: true) }');
    await api('mutation { deleteConnector(name: "my1", force: true) }');
  }, 120_000);

  it('refuses a start whose own two source tables would land in one destination table, naming both', async () => {
    await using source = await createTestDatabase(inject('sourceClusterUrl'), 'own');
    await source.query('CREATE SCHEMA a; CREATE SCHEMA b');
    await source.query(`${NOTES.replace('notes', 'a.notes')}; ${NOTES.replace('notes', 'b.notes')}`);
    await source.query("INSERT INTO a.notes VALUES (1, 'a one'); INSERT INTO b.notes VALUES (1, 'b one')");
    await addConnector({
      name: 'pg_twice',
      type: 'postgres',
      ...postgresConfig(source),
      tables: ['a.notes', 'b.notes'],
    });
    const { checkConnector } = await api<{ checkConnector: { checks: { name: string; ok: boolean }[] } }>(
      'query { checkConnector(name: "pg_twice") { checks { name ok } } }',
    );
    expect(checkConnector.checks.find((check) => check.name === 'destination')?.ok).toBe(false);
    await lifecycle('startConnector', 'pg_twice');
    const error = await waitRefused('pg_twice');
    expect(error).toContain(
      `source tables a.notes and b.notes of connector "pg_twice" would both land in ${source.name}.notes`,
    );
    const { rows: created } = await file.db.query('SELECT to_regclass($1) AS t', [`"${source.name}".notes`]);
    expect(created[0]?.t, 'nothing was created').toBeNull();
    await mapTable('pg_twice', 'b.notes', `${source.name}.b_notes`);
    await lifecycle('startConnector', 'pg_twice');
    await waitStreaming('pg_twice');
    expect(await rows(`"${source.name}".notes`)).toEqual(['1|a one']);
    expect(await rows(`"${source.name}".b_notes`)).toEqual(['1|b one']);
    await api('mutation { deleteConnector(name: "pg_twice", force: true) }');
  }, 120_000);

  it('refuses a mapping reload that would move a table onto another connector’s table', async () => {
    await using first = await postgresNotes(['1|first']);
    await using second = await postgresNotes(['1|second']);
    const shared = unique('moved');
    await addConnector({
      name: 'pg2a',
      type: 'postgres',
      ...postgresConfig(first),
      tables: ['public.notes'],
    });
    await addConnector({
      name: 'pg2b',
      type: 'postgres',
      ...postgresConfig(second),
      tables: ['public.notes'],
    });
    await lifecycle('startConnector', 'pg2b');
    await waitStreaming('pg2b');
    await mapTable('pg2a', 'public.notes', `${shared}.notes`);
    await mapTable('pg2b', 'public.notes', `${shared}.notes`);
    await lifecycle('startConnector', 'pg2a');
    await waitStreaming('pg2a');

    const reload = api('mutation { reloadObjectMappings(connector: "pg2b") { name } }');
    await expect(reload).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`${shared}.notes belongs to connector "pg2a"`),
    });
    expect(await rows(`${shared}.notes`)).toEqual(['1|first']);
    await waitStreaming('pg2b');
    await second.query("INSERT INTO notes VALUES (2, 'second two')");
    await waitRows(`"${second.name}".notes`, ['1|second', '2|second two']);
    expect(await owners(shared)).toEqual(['notes pg2a']);
    await api('mutation { deleteConnector(name: "pg2a", force: true) }');
    await api('mutation { deleteConnector(name: "pg2b", force: true) }');
  }, 120_000);

  it('follows options.existingTables for an existing table no connector owns: FAIL refuses, TRUNCATE replaces, APPEND keeps', async () => {
    await using source = await postgresNotes(['1|source one', '2|source two']);
    const schema = unique('pre');
    await file.db.query(`CREATE SCHEMA "${schema}"`);
    for (const table of ['fail_notes', 'truncate_notes', 'append_notes']) {
      await file.db.query(`CREATE TABLE "${schema}".${table} (id int PRIMARY KEY, body text NOT NULL)`);
      await file.db.query(`INSERT INTO "${schema}".${table} VALUES (100, 'made by hand')`);
    }
    await expect(
      addConnector({
        name: 'pg3x',
        type: 'postgres',
        ...postgresConfig(source, { existingTables: 'replace' }),
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'options.existingTables must be FAIL, TRUNCATE or APPEND',
    });
    const policies = { pg3fail: undefined, pg3truncate: 'truncate', pg3append: 'APPEND' } as const;
    for (const [name, policy] of Object.entries(policies)) {
      const options = policy ? { existingTables: policy } : {};
      await addConnector({
        name,
        type: 'postgres',
        ...postgresConfig(source, options),
        tables: ['public.notes'],
      });
      await mapTable(name, 'public.notes', `${schema}.${name.slice(3)}_notes`);
      await lifecycle('startConnector', name);
    }

    const error = await waitRefused('pg3fail');
    expect(error).toContain(`destination table ${schema}.fail_notes (for public.notes) already exists`);
    expect(error).toContain('options.existingTables FAIL');
    expect(error).toMatch(/TRUNCATE .* or APPEND/);
    expect(await rows(`"${schema}".fail_notes`)).toEqual(['100|made by hand']);
    await waitStreaming('pg3truncate');
    await waitStreaming('pg3append');
    expect(await rows(`"${schema}".truncate_notes`)).toEqual(['1|source one', '2|source two']);
    expect(await rows(`"${schema}".append_notes`)).toEqual([
      '1|source one',
      '2|source two',
      '100|made by hand',
    ]);
    expect(await owners(schema)).toEqual(['append_notes pg3append', 'truncate_notes pg3truncate']);
    const { connector } = await api<{ connector: { options: Record<string, unknown> } }>(
      '{ connector(name: "pg3truncate") { options } }',
    );
    expect(connector.options).toMatchObject({ existingTables: 'TRUNCATE' });

    // the refused connector is fixed by choosing a policy; a later update without options keeps it
    const update = (input: Record<string, unknown>) =>
      api(
        'mutation ($n: String!, $i: UpdateConnectorInput!) { updateConnector(name: $n, input: $i) { name } }',
        {
          n: 'pg3fail',
          i: input,
        },
      );
    await update({ options: { heartbeatIntervalMs: 500, existingTables: 'append' } });
    await update({ errorStrategy: 'RETRY' });
    await lifecycle('startConnector', 'pg3fail');
    await waitStreaming('pg3fail');
    expect(await rows(`"${schema}".fail_notes`)).toEqual([
      '1|source one',
      '2|source two',
      '100|made by hand',
    ]);
    for (const name of Object.keys(policies)) {
      await api('mutation ($n: String!) { deleteConnector(name: $n, force: true) }', { n: name });
    }
  }, 120_000);

  it('releases the tables of a deleted connector, which a later connector then takes per its policy', async () => {
    await using owner = await postgresNotes(['1|owner']);
    await using later = await postgresNotes(['7|later']);
    const schema = unique('released');
    await addConnector({
      name: 'pg4owner',
      type: 'postgres',
      ...postgresConfig(owner),
      tables: ['public.notes'],
    });
    await addConnector({
      name: 'pg4later',
      type: 'postgres',
      ...postgresConfig(later, { existingTables: 'TRUNCATE' }),
      tables: ['public.notes'],
    });
    await mapTable('pg4owner', 'public.notes', `${schema}.notes`);
    await mapTable('pg4later', 'public.notes', `${schema}.notes`);
    await lifecycle('startConnector', 'pg4owner');
    await waitStreaming('pg4owner');

    // neither TRUNCATE nor NEVER takes a table another connector owns
    await lifecycle('startConnector', 'pg4later');
    expect(await waitRefused('pg4later')).toContain(`belongs to connector "pg4owner"`);
    await lifecycle('startConnector', 'pg4later', ', mode: NEVER');
    expect(await waitRefused('pg4later')).toContain(`belongs to connector "pg4owner"`);
    expect(await rows(`"${schema}".notes`)).toEqual(['1|owner']);

    await api('mutation { deleteConnector(name: "pg4owner", force: true) }');
    expect(await owners(schema)).toEqual([]);
    expect(await rows(`"${schema}".notes`), 'the table stays').toEqual(['1|owner']);
    await lifecycle('startConnector', 'pg4later');
    await waitStreaming('pg4later');
    expect(await rows(`"${schema}".notes`)).toEqual(['7|later']);
    expect(await owners(schema)).toEqual(['notes pg4later']);
    await api('mutation { deleteConnector(name: "pg4later", force: true) }');
  }, 120_000);
});
