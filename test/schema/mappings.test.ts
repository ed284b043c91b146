import { beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCode, gql } from '../support/graphql-http.js';
import { useFileServer } from '../support/test-runtime.js';

const ADD = `mutation ($c: String!, $k: MappingKind!, $s: String!, $d: String!) {
  addObjectMapping(connector: $c, kind: $k, source: $s, destination: $d) { kind source destination enabled } }`;
const DISABLE = `mutation ($c: String!, $k: MappingKind!, $s: String!) {
  disableObjectMapping(connector: $c, kind: $k, source: $s) { kind source destination enabled } }`;

const harness = useFileServer(inject('targetClusterUrl'));

beforeAll(async () => {
  const added = await gql(
    harness.server.url,
    'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
    {
      i: { name: 'shop', type: 'memory', host: 'h', port: 1, user: 'u', password: 'p', database: 'shop' },
    },
  );
  expect(added.errors).toBeUndefined();
});

const stored = async () =>
  (
    await harness.db.query(
      'SELECT kind, source, destination, enabled FROM tributary.mapping_rules ORDER BY kind, source',
    )
  ).rows;

describe('object mapping rules', () => {
  it('adds, replaces and disables rules, and lists them on the connector', async () => {
    const add = (k: string, s: string, d: string) => gql(harness.server.url, ADD, { c: 'shop', k, s, d });
    expect((await add('TABLE', 'shop.Orders', 'sales.orders')).data).toEqual({
      addObjectMapping: { kind: 'TABLE', source: 'shop.Orders', destination: 'sales.orders', enabled: true },
    });
    await add('TABLE', 'shop.Orders', 'archive.orders');
    await add('COLUMN', 'shop.Orders.email', 'contact');
    await add('DATATYPE', 'point|false', 'text|0');
    await add('DATATYPE', 'shop.Orders.total', 'numeric(12,2)');
    await add('TRANSFORM', 'shop.Orders.name', " '>>' || %d || '<<' ");

    const disabled = await gql(harness.server.url, DISABLE, { c: 'shop', k: 'TABLE', s: 'SHOP.ORDERS' });
    expect(disabled.data).toEqual({
      disableObjectMapping: {
        kind: 'TABLE',
        source: 'shop.Orders',
        destination: 'archive.orders',
        enabled: false,
      },
    });
    const listed = await gql<{ connector: { mappings: unknown[] } }>(
      harness.server.url,
      '{ connector(name: "shop") { mappings { kind source destination enabled } } }',
    );
    expect(listed.data?.connector.mappings).toEqual([
      { kind: 'COLUMN', source: 'shop.Orders.email', destination: 'contact', enabled: true },
      { kind: 'DATATYPE', source: 'point|false', destination: 'text|0', enabled: true },
      { kind: 'DATATYPE', source: 'shop.Orders.total', destination: 'numeric(12,2)', enabled: true },
      { kind: 'TABLE', source: 'shop.Orders', destination: 'archive.orders', enabled: false },
      { kind: 'TRANSFORM', source: 'shop.Orders.name', destination: "'>>' || %d || '<<'", enabled: true },
    ]);
  });

  it.each([
    [
      'an unknown connector',
      { c: 'nope', k: 'TABLE', s: 'a.b', d: 'c.d' },
      'NOT_FOUND',
      /connector "nope" does not exist/,
    ],
    ['an unknown kind', { c: 'shop', k: 'INDEX', s: 'a.b', d: 'c.d' }, 'INVALID_INPUT', /MappingKind/],
    [
      'an empty destination',
      { c: 'shop', k: 'TABLE', s: 'a.b', d: '  ' },
      'INVALID_INPUT',
      /must not be empty/,
    ],
    [
      'a table destination with two dots',
      { c: 'shop', k: 'TABLE', s: 'a.b', d: 'x.y.z' },
      'INVALID_INPUT',
      /schema\.table/,
    ],
    [
      'a type PostgreSQL does not know',
      { c: 'shop', k: 'DATATYPE', s: 'a.b.c', d: 'varchr|10' },
      'INVALID_INPUT',
      /does not know the type "varchr"/,
    ],
    ['a malformed size', { c: 'shop', k: 'DATATYPE', s: 'int', d: 'bigint|big' }, 'INVALID_INPUT', /type\|N/],
    ['an empty source', { c: 'shop', k: 'COLUMN', s: ' ', d: 'x' }, 'INVALID_INPUT', /source must name/],
    [
      'a transform that is not valid SQL',
      { c: 'shop', k: 'TRANSFORM', s: 'a.b.c', d: '%d + (1' },
      'INVALID_INPUT',
      /TRANSFORM expression "%d \+ \(1" is not valid SQL: syntax error/,
    ],
    [
      'a transform with an unterminated quote',
      { c: 'shop', k: 'TRANSFORM', s: 'a.b.c', d: "%d || 'abc" },
      'INVALID_INPUT',
      /TRANSFORM expression "%d \|\| 'abc" is not valid SQL: unterminated quoted string/,
    ],
    [
      'a transform with an unterminated quoted name',
      { c: 'shop', k: 'TRANSFORM', s: 'a.b.c', d: '"abc || %d' },
      'INVALID_INPUT',
      /is not valid SQL: unterminated quoted identifier/,
    ],
    [
      'a transform calling a function PostgreSQL does not know',
      { c: 'shop', k: 'TRANSFORM', s: 'a.b.c', d: 'no_such_fn(%d)' },
      'INVALID_INPUT',
      /is not valid SQL: function no_such_fn/,
    ],
    [
      'a transform smuggling a second statement',
      { c: 'shop', k: 'TRANSFORM', s: 'a.b.c', d: '1); DROP TABLE tributary.connectors; SELECT (1' },
      'INVALID_INPUT',
      /transform refused: a second statement in "1\); DROP TABLE/,
    ],
    [
      'a transform on a source that is not a column',
      { c: 'shop', k: 'TRANSFORM', s: 'orders', d: '%d + 1' },
      'INVALID_INPUT',
      /TRANSFORM source is a column/,
    ],
  ])('refuses %s and stores nothing', async (_what, variables, code, message) => {
    const before = await stored();
    const result = await gql(harness.server.url, ADD, variables);
    expect(errorCode(result)).toBe(code);
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  it('says NOT_FOUND when disabling a rule that does not exist', async () => {
    const result = await gql(harness.server.url, DISABLE, {
      c: 'shop',
      k: 'COLUMN',
      s: 'shop.Orders.missing',
    });
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});
