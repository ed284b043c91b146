import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let target: TestDatabase;
let source: TestDatabase;
let server: ServerProcess;
const cli = (args: string[]) => runCli(['--url', server.url, ...args]);

const api = async (query: string, variables: Record<string, unknown> = {}) => {
  const result = await gql<Record<string, unknown>>(server.url, query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data;
};
const update = (input: Record<string, unknown>) =>
  api('mutation ($i: UpdateConnectorInput!) { updateConnector(name: "pg_cli", input: $i) { name } }', {
    i: input,
  });

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  source = await createTestDatabase(inject('sourceClusterUrl'), 'cli_src');
  await source.query('CREATE TABLE customers (id int PRIMARY KEY, name text)');
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: target.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
  });
  const at = new URL(source.url);
  const added = await cli([
    'connectors',
    'add',
    '--name',
    'pg_cli',
    '--type',
    'postgres',
    '--host',
    at.hostname,
    '--port',
    at.port,
    '--user',
    decodeURIComponent(at.username),
    '--password',
    decodeURIComponent(at.password),
    '--database',
    source.name,
    '--tables',
    'public.customers',
  ]);
  expect(added.code).toBe(EXIT.ok);
});
afterAll(async () => {
  await server?.stop();
  await source?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
});

describe('tributary connectors check', () => {
  it('prints the checks and where each table lands, and exits 0 when all pass', async () => {
    const result = await cli(['connectors', 'check', 'pg_cli']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/^CHECK\s+OK\s+DETAIL\nconnection\s+ok\s+connected to /);
    expect(result.stdout).toMatch(/\ntables\s+ok\s+1 table would be replicated\n/);
    expect(result.stdout).toContain(`\npublic.customers -> ${source.name}.customers\n`);
    expect(result.stdout).toMatch(/\nid\s+integer\s+id\s+integer not null \(key\)\n/);
    const json = await cli(['connectors', 'check', 'pg_cli', '--json']);
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      unknownTables: [],
      tables: [{ source: 'public.customers', destination: `${source.name}.customers` }],
    });
  });

  it('exits 5 naming the failed check when a table is misspelled', async () => {
    await update({ tables: ['public.customers', 'public.custmers'] });
    const result = await cli(['connectors', 'check', 'pg_cli']);
    expect(result.code).toBe(EXIT.checkFailed);
    expect(result.stdout).toMatch(
      /\ntables\s+FAILED\s+unknown table public\.custmers in tables \(did you mean public\.customers\?\)/,
    );
    expect(result.stderr).toBe('error: connector pg_cli is not ready to start: tables failed\n');
    const json = await cli(['connectors', 'check', 'pg_cli', '--json']);
    expect(json.code).toBe(EXIT.checkFailed);
    expect(JSON.parse(json.stdout).unknownTables).toEqual([
      { name: 'public.custmers', setting: 'tables', closest: ['public.customers'], notSelected: false },
    ]);
    await update({ tables: ['public.customers'] });
  });
});

describe('tributary connectors delete', () => {
  it('refuses while the source is unreachable, and with --force prints what was left and how to drop it', async () => {
    await api('mutation { startConnector(name: "pg_cli") { name } }');
    await waitFor('pg_cli to stream', async () => {
      const data = (await api('{ connector(name: "pg_cli") { state { stage state error } } }')) as {
        connector: { state: { stage: string; state: string; error: string | null } };
      };
      if (data.connector.state.error) throw new Error(data.connector.state.error);
      return data.connector.state.stage === 'CHANGE_DATA_CAPTURE' ? true : undefined;
    });
    await api('mutation { stopConnector(name: "pg_cli") { name } }');
    await update({ port: 1 });

    const refused = await cli(['connectors', 'delete', 'pg_cli']);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toMatch(
      /^error: SOURCE_ERROR: cannot remove the capture of "pg_cli" at the source/,
    );
    expect(refused.stderr).toContain("SELECT pg_drop_replication_slot('tributary_pg_cli')");

    const forced = await cli(['connectors', 'delete', 'pg_cli', '--force']);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(EXIT.ok);
    expect(forced.stdout).toBe(
      'deleted connector pg_cli\n' +
        'left behind at the source (run these there to remove them):\n' +
        "  replication slot tributary_pg_cli: SELECT pg_drop_replication_slot('tributary_pg_cli');\n" +
        '  publication tributary_pg_cli: DROP PUBLICATION IF EXISTS "tributary_pg_cli";\n',
    );
    const list = await cli(['connectors', 'list']);
    expect(list.stdout).toBe('no connectors\n');
  });
});
