import { describe, expect, inject, it } from 'vitest';
import { errorCode, gql } from '../support/graphql-http.js';
import { useFileServer } from '../support/test-runtime.js';

const FIELDS = `name type host port user database schema tables snapshotTables letterCasing errorStrategy active
  options state { stage state error offset updatedAt } stats { dmls totalEvents averageBatchSize lagMs }
  mappings { kind source } attributes { sourceTable }`;
const ADD = `mutation ($input: AddConnectorInput!) { addConnector(input: $input) { ${FIELDS} } }`;
const PASSWORD = 'pa55-Secret-value!';

const valid = (overrides: Record<string, unknown> = {}) => ({
  name: 'orders_source',
  type: 'memory',
  host: 'db.example.com',
  port: 5432,
  user: 'replicator',
  password: PASSWORD,
  database: 'shop',
  ...overrides,
});

const harness = useFileServer(inject('targetClusterUrl'));

const count = async () =>
  Number((await harness.db.query('SELECT count(*) AS n FROM tributary.connectors')).rows[0]?.n);

describe('sourceTypes', () => {
  it('lists every registered plugin with its snapshot modes and whether it streams schema changes', async () => {
    const result = await gql<{
      sourceTypes: { id: string; title: string; snapshotModes: string[]; capturesSchemaChanges: boolean }[];
    }>(harness.server.url, '{ sourceTypes { id title snapshotModes capturesSchemaChanges } }');
    expect(result.data?.sourceTypes).toContainEqual({
      id: 'memory',
      title: 'In-memory (reference plugin)',
      snapshotModes: ['INITIAL', 'INITIAL_ONLY', 'NO_DATA', 'NEVER', 'ALWAYS', 'SCHEMASYNC'],
      capturesSchemaChanges: true,
    });
  });
});

describe('addConnector', () => {
  it('stores the connector stopped, with defaults, and returns it without secrets', async () => {
    const result = await gql<{ addConnector: Record<string, unknown> }>(harness.server.url, ADD, {
      input: valid({ tables: ['shop.orders', 'shop.items'], snapshotTables: ['shop.items'] }),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.addConnector).toMatchObject({
      name: 'orders_source',
      type: 'memory',
      host: 'db.example.com',
      port: 5432,
      user: 'replicator',
      database: 'shop',
      schema: null,
      tables: ['shop.orders', 'shop.items'],
      snapshotTables: ['shop.items'],
      letterCasing: 'LOWERCASE',
      errorStrategy: 'EXIT',
      active: false,
      state: { stage: 'INITIAL_SNAPSHOT', state: 'STOPPED', error: null, offset: null },
      stats: { dmls: 0, totalEvents: 0, averageBatchSize: 0, lagMs: null },
      mappings: [],
      attributes: [],
    });
    expect(result.text).not.toContain(PASSWORD);
  });

  it('keeps only ciphertext of the password in the stored row', async () => {
    const { rows } = await harness.db.query('SELECT * FROM tributary.connectors WHERE name = $1', [
      'orders_source',
    ]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(PASSWORD);
    expect(rows[0]?.secrets).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  });

  it('never returns the password from connectors or connector', async () => {
    const list = await gql(harness.server.url, `{ connectors { ${FIELDS} } }`);
    const one = await gql(harness.server.url, `{ connector(name: "orders_source") { ${FIELDS} } }`);
    expect(list.errors).toBeUndefined();
    expect(one.errors).toBeUndefined();
    expect(list.text).not.toContain(PASSWORD);
    expect(one.text).not.toContain(PASSWORD);
    expect(one.text).not.toContain('secrets');
  });

  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'an unknown source type',
      valid({ name: 'a1', type: 'db2' }),
      'UNSUPPORTED',
      /unknown source type "db2".*memory/,
    ],
    [
      'an unknown source type (db2)',
      valid({ name: 'a6', type: 'db2' }),
      'UNSUPPORTED',
      /unknown source type "db2"; available types: postgres, mysql, memory, oracle, sqlserver/,
    ],
    ['a duplicate name', valid(), 'ALREADY_EXISTS', /already exists/],
    [
      'a port out of range',
      valid({ name: 'a2', port: 70000 }),
      'INVALID_INPUT',
      /port must be between 1 and 65535/,
    ],
    ['a zero port', valid({ name: 'a3', port: 0 }), 'INVALID_INPUT', /port must be between 1 and 65535/],
    [
      'a name with quotes',
      valid({ name: `x"; DROP TABLE t; --` }),
      'INVALID_INPUT',
      /name must start with a letter/,
    ],
    ['a name with spaces', valid({ name: 'my connector' }), 'INVALID_INPUT', /name must start with a letter/],
    ['a 500-character name', valid({ name: 'a'.repeat(500) }), 'INVALID_INPUT', /at most 63 characters/],
    ['an empty host', valid({ name: 'a4', host: '  ' }), 'INVALID_INPUT', /host must not be empty/],
    ['an empty password', valid({ name: 'a5', password: '' }), 'INVALID_INPUT', /password must not be empty/],
    [
      'malformed JSON options',
      valid({ name: 'a6', options: '{"slot": ' }),
      'INVALID_INPUT',
      /options is not valid JSON/,
    ],
    [
      'options that are not an object',
      valid({ name: 'a7', options: [1, 2] }),
      'INVALID_INPUT',
      /options must be a JSON object/,
    ],
    [
      'snapshotTables outside tables',
      valid({ name: 'a8', tables: ['shop.a'], snapshotTables: ['shop.b'] }),
      'INVALID_INPUT',
      /snapshotTables must be a subset of tables/,
    ],
    [
      'an empty table name',
      valid({ name: 'a9', tables: [''] }),
      'INVALID_INPUT',
      /table names must not be empty/,
    ],
  ];

  it.each(refusals)(
    'refuses %s with a code and a message, storing nothing',
    async (_what, input, code, message) => {
      const before = await count();
      const result = await gql(harness.server.url, ADD, { input });
      expect(errorCode(result)).toBe(code);
      expect(result.errors?.[0]?.message).toMatch(message);
      expect(result.status).toBeLessThan(500);
      expect(await count()).toBe(before);
    },
  );

  it('refuses an input with missing fields as INVALID_INPUT naming the field', async () => {
    const before = await count();
    const { host: _host, ...withoutHost } = valid({ name: 'b1' });
    const result = await gql(harness.server.url, ADD, { input: withoutHost });
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/host/);
    const literal = await gql(
      harness.server.url,
      'mutation { addConnector(input: { name: "b2", type: "memory" }) { name } }',
    );
    expect(errorCode(literal)).toBe('INVALID_INPUT');
    expect(literal.errors?.[0]?.message).toMatch(/AddConnectorInput\.host/);
    expect(await count()).toBe(before);
  });

  it('refuses a port of the wrong type as INVALID_INPUT', async () => {
    const result = await gql(harness.server.url, ADD, { input: valid({ name: 'b3', port: 'five' }) });
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/port/);
  });

  it('keeps serving after refusing bad input', async () => {
    const health = await fetch(harness.server.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    const result = await gql<{ connectors: { name: string }[] }>(
      harness.server.url,
      '{ connectors { name } }',
    );
    expect(result.data?.connectors.map((c) => c.name)).toEqual(['orders_source']);
  });
});

describe('updateConnector', () => {
  const UPDATE = `mutation ($name: String!, $input: UpdateConnectorInput!) { updateConnector(name: $name, input: $input) { ${FIELDS} } }`;

  it('changes only the given fields', async () => {
    const result = await gql<{ updateConnector: Record<string, unknown> }>(harness.server.url, UPDATE, {
      name: 'orders_source',
      input: {
        port: 6543,
        letterCasing: 'UPPERCASE',
        errorStrategy: 'RETRY',
        tables: null,
        snapshotTables: null,
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateConnector).toMatchObject({
      host: 'db.example.com',
      port: 6543,
      letterCasing: 'UPPERCASE',
      errorStrategy: 'RETRY',
      tables: null,
      snapshotTables: null,
    });
  });

  it('re-encrypts a new password and keeps the old one when none is given', async () => {
    const before = (
      await harness.db.query('SELECT secrets FROM tributary.connectors WHERE name = $1', ['orders_source'])
    ).rows[0];
    await gql(harness.server.url, UPDATE, { name: 'orders_source', input: { host: 'db2.example.com' } });
    const resolved = await harness.server.runtime.services.connectors.resolve('orders_source');
    expect(resolved.config.password).toBe(PASSWORD);
    await gql(harness.server.url, UPDATE, { name: 'orders_source', input: { password: 'n3w-Passw0rd' } });
    const after = (
      await harness.db.query('SELECT secrets FROM tributary.connectors WHERE name = $1', ['orders_source'])
    ).rows[0];
    expect(after?.secrets).not.toBe(before?.secrets);
    expect(JSON.stringify(after)).not.toContain('n3w-Passw0rd');
    expect((await harness.server.runtime.services.connectors.resolve('orders_source')).config.password).toBe(
      'n3w-Passw0rd',
    );
  });

  it('answers NOT_FOUND for an unknown connector', async () => {
    const result = await gql(harness.server.url, UPDATE, { name: 'nope', input: { port: 1 } });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(result.errors?.[0]?.message).toMatch(/no connector named "nope"/);
  });

  it('refuses invalid changes and leaves the stored connector as it was', async () => {
    const before = (
      await harness.db.query('SELECT * FROM tributary.connectors WHERE name = $1', ['orders_source'])
    ).rows[0];
    for (const input of [{ port: 99999 }, { host: null }, { options: 'not json' }, { user: '' }]) {
      const result = await gql(harness.server.url, UPDATE, { name: 'orders_source', input });
      expect(errorCode(result), JSON.stringify(input)).toBe('INVALID_INPUT');
    }
    const after = (
      await harness.db.query('SELECT * FROM tributary.connectors WHERE name = $1', ['orders_source'])
    ).rows[0];
    expect(after).toEqual(before);
  });
});

describe('deleteConnector', () => {
  it('removes the connector with its state and stats', async () => {
    await gql(harness.server.url, ADD, { input: valid({ name: 'to_delete' }) });
    const result = await gql<{ deleteConnector: boolean }>(
      harness.server.url,
      'mutation { deleteConnector(name: "to_delete") }',
    );
    expect(result.data?.deleteConnector).toBe(true);
    const left = await harness.db.query(
      `SELECT (SELECT count(*) FROM tributary.connectors WHERE name = 'to_delete')
            + (SELECT count(*) FROM tributary.connector_state WHERE connector = 'to_delete')
            + (SELECT count(*) FROM tributary.stats WHERE connector = 'to_delete') AS n`,
    );
    expect(Number(left.rows[0]?.n)).toBe(0);
    const lookup = await gql<{ connector: unknown }>(
      harness.server.url,
      '{ connector(name: "to_delete") { name } }',
    );
    expect(lookup.data?.connector).toBeNull();
  });

  it('leaves a connectors list read meanwhile whole: each connector with its state and stats, or absent', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `churned_${i}`);
    for (const name of names) await gql(harness.server.url, ADD, { input: valid({ name }) });
    let deleting = true;
    const deletes = (async () => {
      for (const name of names)
        await gql(harness.server.url, `mutation { deleteConnector(name: "${name}") }`);
      deleting = false;
    })();
    const reads: { errors?: unknown; listed: number }[] = [];
    while (deleting) {
      const result = await gql<{
        connectors: { name: string; state: { stage: string }; stats: { dmls: number } }[];
      }>(harness.server.url, '{ connectors { name state { stage } stats { dmls } } }');
      const listed = result.data?.connectors.filter((c) => c.name.startsWith('churned_')) ?? [];
      reads.push({ errors: result.errors, listed: listed.length });
      for (const connector of listed)
        expect(connector).toMatchObject({ state: { stage: 'INITIAL_SNAPSHOT' } });
    }
    await deletes;
    expect(reads.filter((read) => read.errors !== undefined)).toEqual([]);
    expect(reads.some((read) => read.listed > 0 && read.listed < names.length)).toBe(true);
  });

  it('answers NOT_FOUND for an unknown connector', async () => {
    const result = await gql(harness.server.url, 'mutation { deleteConnector(name: "ghost") }');
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});
