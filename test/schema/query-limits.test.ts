import { getIntrospectionQuery } from 'graphql';
import { describe, expect, inject, it } from 'vitest';
import { QUERY_LIMITS } from '../../schema/query-limits.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { wsClient } from '../support/graphql-ws-client.js';
import { wsQuery } from '../support/graphql-ws-query.js';
import { useFileServer } from '../support/test-runtime.js';

const harness = useFileServer(inject('targetClusterUrl'));

/** `{ __type(name: "Query") { ofType { ofType ... { name } } } }`, `depth` fields deep. */
const nested = (depth: number) =>
  `{ __type(name: "Query") ${'{ ofType '.repeat(depth - 2)}{ name }${' }'.repeat(depth - 2)} }`;

const aliased = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: sourceTypes { id }`).join(' ')} }`;

/** Ten spreads of the previous fragment per level: few tokens, no aliases, 10^levels fields. */
const fragmentBomb = (levels: number) => {
  const fragments = ['fragment F0 on Query { sourceTypes { id } }'];
  for (let level = 1; level <= levels; level++) {
    fragments.push(`fragment F${level} on Query { ${`...F${level - 1} `.repeat(10)}}`);
  }
  return `{ ...F${levels} } ${fragments.join(' ')}`;
};

const tooManyTokens = `{ ${'__typename '.repeat(QUERY_LIMITS.tokens)}}`;

const refused = [
  [
    'a query nested deeper than the depth limit',
    nested(QUERY_LIMITS.depth + 1),
    /^Query depth limit of 12 exceeded, found 13\.$/,
  ],
  ['an alias bomb', aliased(QUERY_LIMITS.aliases + 1), /^Aliases limit of 30 exceeded, found 31\.$/],
  ['a fragment bomb', fragmentBomb(4), /^Query Cost limit of 2000 exceeded, found \d+\.$/],
  ['a document with too many tokens', tooManyTokens, /^Token limit of 10000 exceeded\.$/],
] as const;

describe('query limits on HTTP', () => {
  it.each(refused)('refuses %s with INVALID_INPUT before executing it', async (_, query, message) => {
    const result = await gql(harness.server.url, query);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.map((error) => error.message)).toContainEqual(expect.stringMatching(message));
  });

  it('answers queries at the limits', async () => {
    const deep = await gql<{ __type: unknown }>(harness.server.url, nested(QUERY_LIMITS.depth));
    expect(deep.errors).toBeUndefined();
    expect(deep.data?.__type).toEqual({ ofType: null });
    const aliases = await gql<Record<string, { id: string }[]>>(
      harness.server.url,
      aliased(QUERY_LIMITS.aliases),
    );
    expect(aliases.errors).toBeUndefined();
    expect(Object.keys(aliases.data ?? {})).toHaveLength(QUERY_LIMITS.aliases);
    const fragments = await gql<{ sourceTypes: unknown[] }>(harness.server.url, fragmentBomb(2));
    expect(fragments.errors).toBeUndefined();
    expect(fragments.data?.sourceTypes.length).toBeGreaterThan(0);
  });

  it("answers GraphiQL's full introspection query", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const result = await gql<{ __schema: { types: unknown[] } }>(harness.server.url, query);
    expect(result.errors).toBeUndefined();
    expect(result.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('refuses a recursive introspection query with INVALID_INPUT', async () => {
    const result = await gql(
      harness.server.url,
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    );
    expect(result.status).toBe(400);
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toBe('Maximum introspection depth exceeded');
  });

  it('refuses a request body over 1 MiB with 413 and INVALID_INPUT', async () => {
    const result = await gql(harness.server.url, '{ sourceTypes { id } }', {
      padding: 'x'.repeat(QUERY_LIMITS.bodyBytes),
    });
    expect(result.status).toBe(413);
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toBe('Request body too large');
  });
});

describe('query limits on graphql-ws', () => {
  it.each(refused)('refuses %s with INVALID_INPUT and keeps the connection', async (_, query, message) => {
    const client = wsClient(harness.server.url);
    try {
      const result = await wsQuery(client, query);
      expect(result.close).toBeUndefined();
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
      expect(result.errors?.map((error) => error.message)).toContainEqual(expect.stringMatching(message));
      const next = await wsQuery(client, '{ sourceTypes { id } }');
      expect(next.errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });

  it('answers a query at the depth limit', async () => {
    const client = wsClient(harness.server.url);
    try {
      const result = await wsQuery(client, nested(QUERY_LIMITS.depth));
      expect(result).toEqual({ data: { __type: { ofType: null } } });
    } finally {
      await client.dispose();
    }
  });
});
