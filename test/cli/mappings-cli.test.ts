import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let db: TestDatabase;
let source: TestDatabase;
let server: ServerProcess;
const cli = (args: string[]) => runCli(['--url', server.url, ...args]);
const addRule = (connector: string, kind: string, from: string, to: string) =>
  cli(['mappings', 'add', connector, '--kind', kind, '--source', from, '--destination', to]);
const storedRules = async () =>
  (
    await db.query(
      `SELECT kind, source, destination, enabled FROM tributary.mapping_rules
        WHERE connector = 'shop' ORDER BY kind, source`,
    )
  ).rows;

beforeAll(async () => {
  [db, source] = await Promise.all([
    createTestDatabase(inject('targetClusterUrl')),
    createTestDatabase(inject('sourceClusterUrl'), 'clisrc'),
  ]);
  server = await startServerProcess({ TRIBUTARY_DATABASE_URL: db.url, TRIBUTARY_SECRET_KEY: generateKey() });
  const added = await cli([
    ...['connectors', 'add', '--name', 'shop', '--type', 'memory', '--host', 'h', '--port', '1'],
    ...['--user', 'u', '--database', 'shop', '--password', 'p'],
  ]);
  expect(added).toMatchObject({ code: EXIT.ok, stderr: '' });
});
afterAll(async () => {
  await server?.stop();
  await db?.[Symbol.asyncDispose]();
  await source?.[Symbol.asyncDispose]();
});

describe('tributary mappings', () => {
  it('prints "no mapping rules" for a connector without rules, and [] as JSON', async () => {
    expect(await cli(['mappings', 'list', 'shop'])).toMatchObject({
      code: EXIT.ok,
      stdout: 'no mapping rules\n',
    });
    const json = await cli(['mappings', 'list', 'shop', '--json']);
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('adds TABLE, COLUMN and DATATYPE rules from lower-case kinds, confirming each in one line', async () => {
    const table = await addRule('shop', 'table', 'shop.orders', 'sales.orders');
    expect(table).toMatchObject({
      code: EXIT.ok,
      stderr: '',
      stdout: 'added table rule shop.orders -> sales.orders to shop\n',
    });
    const column = await addRule('shop', 'column', 'shop.orders.email', 'contact');
    expect(column).toMatchObject({
      code: EXIT.ok,
      stdout: 'added column rule shop.orders.email -> contact to shop\n',
    });
    const datatype = await addRule('shop', 'datatype', 'shop.orders.total', 'numeric(12,2)');
    expect(datatype).toMatchObject({
      code: EXIT.ok,
      stdout: 'added datatype rule shop.orders.total -> numeric(12,2) to shop\n',
    });
    expect(await storedRules()).toEqual([
      { kind: 'column', source: 'shop.orders.email', destination: 'contact', enabled: true },
      { kind: 'datatype', source: 'shop.orders.total', destination: 'numeric(12,2)', enabled: true },
      { kind: 'table', source: 'shop.orders', destination: 'sales.orders', enabled: true },
    ]);
  });

  it('lists the rules as an aligned table and as JSON', async () => {
    const table = await cli(['mappings', 'list', 'shop']);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout).toBe(
      [
        'KIND      SOURCE             DESTINATION    ENABLED',
        'column    shop.orders.email  contact        yes',
        'datatype  shop.orders.total  numeric(12,2)  yes',
        'table     shop.orders        sales.orders   yes',
        '',
      ].join('\n'),
    );
    const json = await cli(['mappings', 'list', 'shop', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { kind: 'COLUMN', source: 'shop.orders.email', destination: 'contact', enabled: true },
      { kind: 'DATATYPE', source: 'shop.orders.total', destination: 'numeric(12,2)', enabled: true },
      { kind: 'TABLE', source: 'shop.orders', destination: 'sales.orders', enabled: true },
    ]);
  });

  it('disables a rule found by its kind and source', async () => {
    const result = await cli([
      'mappings',
      'disable',
      'shop',
      '--kind',
      'column',
      '--source',
      'shop.orders.email',
    ]);
    expect(result).toMatchObject({
      code: EXIT.ok,
      stderr: '',
      stdout: 'disabled column rule shop.orders.email -> contact of shop\n',
    });
    expect(await storedRules()).toContainEqual({
      kind: 'column',
      source: 'shop.orders.email',
      destination: 'contact',
      enabled: false,
    });
    expect((await cli(['mappings', 'list', 'shop'])).stdout).toMatch(
      /^column\s+shop\.orders\.email\s+contact\s+no$/m,
    );
  });

  it('exits 6 when the connector or rule is unknown and 4 when the rule is refused', async () => {
    for (const args of [
      ['mappings', 'list', 'ghost'],
      ['attributes', 'ghost'],
    ])
      expect(await cli(args)).toMatchObject({
        code: EXIT.notFound,
        stdout: '',
        stderr: 'error: NOT_FOUND: no connector named "ghost"\n',
      });
    const addToGhost = await addRule('ghost', 'table', 'a.b', 'c.d');
    expect(addToGhost).toMatchObject({
      code: EXIT.notFound,
      stderr: 'error: NOT_FOUND: connector "ghost" does not exist\n',
    });
    const noSuchRule = await cli([
      'mappings',
      'disable',
      'shop',
      '--kind',
      'table',
      '--source',
      'shop.nothing',
    ]);
    expect(noSuchRule.code).toBe(EXIT.notFound);
    expect(noSuchRule.stderr).toMatch(
      /^error: NOT_FOUND: connector "shop" has no table rule for "shop.nothing"/,
    );
    const unknownType = await addRule('shop', 'datatype', 'shop.orders.note', 'no_such_type');
    expect(unknownType.code).toBe(EXIT.refused);
    expect(unknownType.stderr).toMatch(
      /^error: INVALID_INPUT: PostgreSQL does not know the type "no_such_type"/,
    );
    expect(await storedRules()).toHaveLength(3);
  });

  it('exits 2 for an unknown kind or a missing option without calling the server', async () => {
    const badKind = await addRule('shop', 'index', 'a.b', 'c.d');
    expect(badKind.code).toBe(EXIT.usage);
    expect(badKind.stderr).toMatch(/Allowed choices are table, column, datatype, transform/);
    const noKind = await cli(['mappings', 'disable', 'shop', '--source', 'a.b']);
    expect(noKind.code).toBe(EXIT.usage);
    expect(noKind.stderr).toMatch(/required option '--kind <kind>' not specified/);
    const noConnector = await cli(['mappings', 'list']);
    expect(noConnector.code).toBe(EXIT.usage);
    expect(noConnector.stderr).toMatch(/missing required argument 'connector'/);
    expect(await storedRules()).toHaveLength(3);
  });
});

describe('tributary attributes', () => {
  it('says there are no replicated columns before a connector has created its tables, and prints [] as JSON', async () => {
    expect(await cli(['attributes', 'shop'])).toMatchObject({
      code: EXIT.ok,
      stdout: 'no replicated columns yet; they appear once the connector has created its tables\n',
    });
    const json = await cli(['attributes', 'shop', '--json']);
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('lists the replicated columns of a snapshotted table, with the mapped names and types', async () => {
    await source.query(
      'CREATE TABLE public.orders (id integer PRIMARY KEY, email text, total numeric(10,2))',
    );
    const url = new URL(source.url);
    const added = await cli([
      ...['connectors', 'add', '--name', 'cli_pg', '--type', 'postgres', '--host', url.hostname],
      ...['--port', url.port, '--user', decodeURIComponent(url.username)],
      ...['--password', decodeURIComponent(url.password), '--database', source.name, '--schema', 'public'],
      ...['--tables', 'public.orders'],
    ]);
    expect(added).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect((await addRule('cli_pg', 'column', 'public.orders.email', 'contact')).code).toBe(EXIT.ok);
    expect((await addRule('cli_pg', 'datatype', 'public.orders.total', 'numeric(12,2)')).code).toBe(EXIT.ok);
    const started = await gql(
      server.url,
      'mutation { startConnector(name: "cli_pg", mode: INITIAL_ONLY) { name } }',
    );
    expect(started.data).toEqual({ startConnector: { name: 'cli_pg' } });

    const columns = await waitFor('the snapshot to record its columns', async () => {
      const json = await cli(['attributes', 'cli_pg', '--json']);
      const rows = JSON.parse(json.stdout) as unknown[];
      return rows.length === 3 ? rows : undefined;
    });
    const destination = `${source.name}.orders`;
    expect(columns).toEqual([
      expect.objectContaining({
        position: 1,
        sourceColumn: 'id',
        destinationColumn: 'id',
        destinationTable: destination,
      }),
      expect.objectContaining({
        position: 2,
        sourceColumn: 'email',
        destinationColumn: 'contact',
        transform: null,
      }),
      expect.objectContaining({ position: 3, sourceColumn: 'total', destinationType: 'numeric(12,2)' }),
    ]);
    const table = await cli(['attributes', 'cli_pg']);
    expect(table.code).toBe(EXIT.ok);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SOURCE TABLE\s+DESTINATION TABLE\s+POS\s+SOURCE COLUMN\s+DESTINATION COLUMN\s+SOURCE TYPE\s+DESTINATION TYPE\s+TRANSFORM$/,
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      new RegExp(`^public\\.orders\\s+${destination}\\s+2\\s+email\\s+contact\\s+text\\s+text$`),
    );
  });
});

describe('tributary mappings reload', () => {
  it('moves a replicated table where a new TABLE rule says, and prints the state it leaves', async () => {
    await waitFor('the INITIAL_ONLY snapshot to end', async () => {
      const connectors = JSON.parse((await cli(['connectors', 'list', '--json'])).stdout) as {
        name: string;
        active: boolean;
        state: { state: string };
      }[];
      const pg = connectors.find((c) => c.name === 'cli_pg');
      return pg && !pg.active && pg.state.state === 'STOPPED' ? pg : undefined;
    });
    expect((await addRule('cli_pg', 'table', 'public.orders', 'sales.orders')).code).toBe(EXIT.ok);

    const reloaded = await cli(['mappings', 'reload', 'cli_pg']);
    expect(reloaded).toMatchObject({
      code: EXIT.ok,
      stderr: '',
      stdout: 'reloaded mapping rules of cli_pg; state: INITIAL_SNAPSHOT STOPPED\n',
    });
    const moved = await db.query<{ moved: string | null }>(
      `SELECT to_regclass('sales.orders')::text AS moved`,
    );
    expect(moved.rows).toEqual([{ moved: 'sales.orders' }]);
    const columns = JSON.parse((await cli(['attributes', 'cli_pg', '--json'])).stdout) as {
      destinationTable: string;
    }[];
    expect(columns.map((c) => c.destinationTable)).toEqual(['sales.orders', 'sales.orders', 'sales.orders']);
  });

  it('exits 6 with NOT_FOUND when reloading an unknown connector', async () => {
    const result = await cli(['mappings', 'reload', 'ghost']);
    expect(result.code).toBe(EXIT.notFound);
    expect(result.stderr).toMatch(/^error: NOT_FOUND: .*"ghost"/);
  });
});
