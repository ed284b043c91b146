import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { fixturePlugin } from '../support/fixture-plugins.js';
import { gql } from '../support/graphql-http.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

interface View {
  active: boolean;
  state: { stage: string | null; state: string; error: string | null };
}

let target: TestDatabase;
let healthy: TestDatabase;
let clashing: TestDatabase;
let server: ServerProcess;

const view = async (name: string) =>
  (
    await gql<{ connector: View }>(
      server.url,
      `{ connector(name: "${name}") { active state { stage state error } } }`,
    )
  ).data?.connector;

async function addAndStart(input: Record<string, unknown>): Promise<void> {
  const result = await gql(
    server.url,
    'mutation ($i: AddConnectorInput!, $n: String!) { addConnector(input: $i) { name } startConnector(name: $n) { name } }',
    { i: input, n: input.name },
  );
  expect(result.errors).toBeUndefined();
}

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  healthy = await createTestDatabase(inject('sourceClusterUrl'), 'healthy');
  clashing = await createTestDatabase(inject('sourceClusterUrl'), 'clashing');
  await healthy.query('CREATE TABLE public.items (id integer PRIMARY KEY, name text)');
  await healthy.query(`INSERT INTO public.items VALUES (1, 'first')`);
  await clashing.query('CREATE TABLE public.customers (id integer PRIMARY KEY, name text, tier text)');
  await clashing.query(`INSERT INTO public.customers VALUES (1, 'ann', 'gold')`);
  // the destination table is already there, without the column `tier`: the COPY into it fails
  await target.query(`CREATE SCHEMA "${clashing.name}"`);
  await target.query(`CREATE TABLE "${clashing.name}".customers (id integer PRIMARY KEY, name text)`);
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: target.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
    TRIBUTARY_PLUGINS: fixturePlugin('rogue-source'),
  });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  for (const db of [healthy, clashing, target]) await db?.[Symbol.asyncDispose]();
});

describe('one connector’s failure in a running server', () => {
  it('stops only the connector whose COPY fails; the server, its API and the other connector go on', async () => {
    await addAndStart({
      name: 'healthy',
      type: 'postgres',
      ...postgresConfig(healthy),
      tables: ['public.items'],
    });
    await waitFor('healthy to stream', async () =>
      (await view('healthy'))?.state.stage === 'CHANGE_DATA_CAPTURE' ? true : undefined,
    );
    await addAndStart({
      name: 'clashing',
      type: 'postgres',
      ...postgresConfig(clashing),
      tables: ['public.customers'],
      // take the existing table over (no connector owns it), so the COPY into it is reached
      options: { ...(postgresConfig(clashing).options as object | undefined), existingTables: 'APPEND' },
    });
    const failed = await waitFor('clashing to stop', async () => {
      const current = await view('clashing');
      return current?.state.state === 'STOPPED' ? current : undefined;
    });
    expect(failed).toMatchObject({
      active: false,
      state: { error: expect.stringMatching(/column "tier" of relation "customers" does not exist/) },
    });
    expect(server.child.exitCode).toBeNull();
    await healthy.query(`INSERT INTO public.items VALUES (2, 'after the failure')`);
    const rows = await waitFor('the change made after the failure to arrive', async () => {
      const { rows } = await target.query(`SELECT id, name FROM "${healthy.name}".items ORDER BY id`);
      return rows.length === 2 ? rows : undefined;
    });
    expect(rows).toEqual([
      { id: 1, name: 'first' },
      { id: 2, name: 'after the failure' },
    ]);
    expect(await view('healthy')).toMatchObject({ active: true, state: { state: 'POLLING', error: null } });
    expect(server.output()).not.toMatch(/an error escaped/);
  });

  it('logs an error that escapes a connector’s job with its stack, stops that connector only and keeps serving', async () => {
    await addAndStart({
      name: 'rogue',
      type: 'rogue',
      host: 'h',
      port: 1,
      user: 'u',
      password: 'p',
      database: 'd',
    });
    const stopped = await waitFor('rogue to be stopped', async () => {
      const current = await view('rogue');
      return current?.state.state === 'STOPPED' ? current : undefined;
    });
    expect(stopped).toMatchObject({
      active: false,
      state: { error: 'stopped after an unexpected error: rogue driver rejected a promise nobody awaits' },
    });
    await waitFor('the escaped exception to be logged', () =>
      server.output().includes('rogue driver threw from a timer') ? true : undefined,
    );
    const escaped = server
      .output()
      .split('\n')
      .filter((line) => line.includes('an error escaped'))
      .map(
        (line) =>
          JSON.parse(line) as { level: number; kind: string; connector: string; err: { stack: string } },
      );
    expect(escaped.map(({ kind, connector, level }) => ({ kind, connector, level }))).toEqual([
      { kind: 'unhandledRejection', connector: 'rogue', level: 60 },
      { kind: 'uncaughtException', connector: 'rogue', level: 60 },
    ]);
    expect(escaped[0]?.err.stack).toMatch(/rogue-source\/index\.js/);
    expect(server.child.exitCode).toBeNull();
    await healthy.query(`INSERT INTO public.items VALUES (3, 'after the escape')`);
    await waitFor('the change made after the escape to arrive', async () => {
      const { rows } = await target.query(`SELECT 1 FROM "${healthy.name}".items WHERE id = 3`);
      return rows.length === 1 ? true : undefined;
    });
    expect(await view('healthy')).toMatchObject({ active: true, state: { state: 'POLLING' } });
  });
});
