import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { freePort } from '../../core/target/free-port.js';
import { gql } from '../support/graphql-http.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

/** Every other password below starts with this, so one search finds them all. */
const PASSWORD = `Leak-Canary-${randomBytes(6).toString('hex')}`;
const ROLE = `leak_${randomBytes(4).toString('hex')}`;
const FIELDS = `name type host port user database options active state { stage state error offset warning }
  stats { dmls totalEvents } deadLetters { id error event } attributes { sourceTable }`;

let db: TestDatabase;
let source: TestDatabase;
let server: ServerProcess;
let stdout = '';
/** Every GraphQL response body and CLI output the test saw. */
const seen: string[] = [];

const query = async (text: string, variables?: Record<string, unknown>) => {
  const result = await gql(server.url, text, variables);
  seen.push(result.text);
  return result;
};
const cli = async (args: string[], stdin?: string) => {
  const result = await runCli(['--url', server.url, ...args], {}, stdin);
  seen.push(result.stdout, result.stderr);
  return result;
};
const sourceUrl = () => new URL(inject('sourceClusterUrl'));
const stateOf = async (name: string) =>
  (
    (
      await query(`query ($name: String!) { connector(name: $name) { state { stage state error } } }`, {
        name,
      })
    ).data as { connector: { state: { stage: string; state: string; error: string | null } } }
  ).connector.state;

beforeAll(async () => {
  [db, source] = await Promise.all([
    createTestDatabase(inject('targetClusterUrl')),
    createTestDatabase(inject('sourceClusterUrl'), 'leaksrc'),
  ]);
  await source.query(`CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`);
  await source.query('CREATE TABLE public.items (id int PRIMARY KEY, name text)');
  await source.query(`INSERT INTO public.items VALUES (1, 'one'), (2, 'two')`);
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: db.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
    TRIBUTARY_LOG_LEVEL: 'debug',
  });
  server.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await db?.[Symbol.asyncDispose]();
  await source?.[Symbol.asyncDispose]();
  const admin = new URL(inject('sourceClusterUrl'));
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP ROLE IF EXISTS ${ROLE}`).finally(() => client.end());
});

describe('secrets', () => {
  it('never appear in logs, API responses, CLI output or metadata tables', async () => {
    const url = sourceUrl();
    const common = { type: 'postgres', host: url.hostname, user: ROLE, database: source.name };
    const added = await query(
      `mutation ($input: AddConnectorInput!) { addConnector(input: $input) { ${FIELDS} } }`,
      { input: { ...common, name: 'leak_ok', port: Number(url.port), password: `${PASSWORD}-wrong` } },
    );
    expect(added.errors).toBeUndefined();
    const updated = await query(
      `mutation ($password: String!) { updateConnector(name: "leak_ok", input: { password: $password }) { ${FIELDS} } }`,
      { password: PASSWORD },
    );
    expect(updated.errors).toBeUndefined();
    const cliArgs = ['connectors', 'add', '--type', 'postgres', '--host', url.hostname, '--user', ROLE];
    const badPassword = await cli(
      [...cliArgs, '--name', 'leak_badpw', '--port', url.port, '--database', source.name, '--password-stdin'],
      `${PASSWORD}-bad\n`,
    );
    expect(badPassword).toMatchObject({ code: EXIT.ok, stderr: '' });
    const port = String(await freePort());
    const noServer = await cli([
      ...[...cliArgs, '--name', 'leak_noport', '--port', port, '--database', source.name],
      ...['--password', PASSWORD],
    ]);
    expect(noServer).toMatchObject({ code: EXIT.ok, stderr: '' });

    for (const name of ['leak_ok', 'leak_badpw', 'leak_noport']) {
      await query(`mutation ($name: String!) { startConnector(name: $name) { ${FIELDS} } }`, { name });
    }
    await waitFor('leak_ok streaming', async () =>
      (await stateOf('leak_ok')).stage === 'CHANGE_DATA_CAPTURE' ? true : undefined,
    );
    for (const name of ['leak_badpw', 'leak_noport']) {
      const error = await waitFor(`${name} failing`, async () => (await stateOf(name)).error ?? undefined);
      expect(error).toBeTruthy();
    }

    const client = wsClient(server.url);
    try {
      const changes = subscribe<{ changes: unknown }>(
        client,
        `subscription { changes(connector: "leak_ok") { op sourceTable after } }`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await source.query(`INSERT INTO public.items VALUES (3, 'three')`);
      const [change] = await changes.take(1);
      seen.push(JSON.stringify(change));
      expect(change?.data?.changes).toMatchObject({ op: 'INSERT', after: { id: 3 } });
      await changes[Symbol.asyncDispose]();
    } finally {
      await client.dispose();
    }

    await query(`{ connectors { ${FIELDS} } }`);
    await cli(['connectors', 'list']);
    await cli(['connectors', 'list', '--json']);
    await query(`mutation { restartConnector(name: "leak_badpw") { ${FIELDS} } }`);
    await waitFor('leak_badpw failing again', async () => (await stateOf('leak_badpw')).error ?? undefined);
    await query(`mutation { stopConnector(name: "leak_ok") { ${FIELDS} } }`);
    await server.stop();

    const tables = (
      await db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'tributary'`,
      )
    ).rows.map((row) => row.name);
    expect(tables).toContain('connectors');
    const metadata: string[] = [];
    for (const table of tables) {
      const { rows } = await db.query<{ text: string }>(
        `SELECT (to_jsonb(t) - 'secrets')::text AS text FROM tributary."${table}" t`,
      );
      metadata.push(...rows.map((row) => row.text));
    }
    const logs = server.output();
    expect(logs).toMatch(/password authentication failed|ECONNREFUSED/);
    expect({ where: 'server stderr', leaked: logs.includes(PASSWORD) }).toEqual({
      where: 'server stderr',
      leaked: false,
    });
    expect({ where: 'server stdout', leaked: stdout.includes(PASSWORD) }).toEqual({
      where: 'server stdout',
      leaked: false,
    });
    const leakingResponses = seen.filter((text) => text.includes(PASSWORD));
    expect(leakingResponses).toEqual([]);
    expect(metadata.filter((text) => text.includes(PASSWORD))).toEqual([]);
    expect(metadata.join('\n')).toContain('leak_ok');
  }, 120_000);
});
