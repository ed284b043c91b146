import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { EXIT } from '../../cli/cli-error.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { wsClient } from '../support/graphql-ws-client.js';
import { wsQuery } from '../support/graphql-ws-query.js';
import { runCli } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-runtime.js';

const FIRST = 'first-token-4f1c9a';
const SECOND = 'second-token-77b2e0';

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  server = await startTestServer(db.url, { TRIBUTARY_API_TOKEN: `${FIRST}, ${SECOND}` });
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  await db?.[Symbol.asyncDispose]();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const endpoint = (path: string) => server.url.replace('/graphql', path);

describe('API token on HTTP', () => {
  it('refuses a request without a token with 401 and UNAUTHENTICATED', async () => {
    const result = await gql(server.url, '{ sourceTypes { id } }');
    expect(result.status).toBe(401);
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.data).toBeUndefined();
  });

  it('refuses a wrong token, a token prefix and a non-bearer scheme', async () => {
    for (const authorization of [
      `Bearer ${FIRST}x`,
      `Bearer ${FIRST.slice(0, -1)}`,
      `Basic ${FIRST}`,
      FIRST,
    ]) {
      const result = await gql(server.url, '{ sourceTypes { id } }', undefined, { authorization });
      expect(result.status).toBe(401);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a request carrying any of the configured tokens', async () => {
    for (const token of [FIRST, SECOND]) {
      const result = await gql<{ sourceTypes: { id: string }[] }>(
        server.url,
        '{ sourceTypes { id } }',
        undefined,
        bearer(token),
      );
      expect(result.status).toBe(200);
      expect(result.data?.sourceTypes.map((type) => type.id)).toContain('memory');
    }
  });

  it('refuses introspection without a token and answers it with one', async () => {
    const refused = await gql(server.url, getIntrospectionQuery());
    expect(refused.status).toBe(401);
    expect(errorCode(refused)).toBe('UNAUTHENTICATED');
    const answered = await gql<{ __schema: { queryType: { name: string } } }>(
      server.url,
      getIntrospectionQuery(),
      undefined,
      bearer(FIRST),
    );
    expect(answered.data?.__schema.queryType.name).toBe('Query');
  });

  it('refuses a GET operation without a token', async () => {
    const url = `${server.url}?query=${encodeURIComponent('{ sourceTypes { id } }')}`;
    const refused = await fetch(url, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const answered = await fetch(url, { headers: { accept: 'application/json', ...bearer(SECOND) } });
    expect(
      ((await answered.json()) as { data: { sourceTypes: unknown[] } }).data.sourceTypes.length,
    ).toBeGreaterThan(0);
  });

  it('serves the GraphiQL page without a token, executing nothing', async () => {
    const page = await fetch(`${server.url}?query=${encodeURIComponent('{ sourceTypes { id } }')}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<title>Tributary<\/title>/);
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(html).not.toMatch(/"sourceTypes":\s*\[/);
  });

  it('opens GraphiQL on a ready example query that says how to send the token', async () => {
    const html = await (await fetch(server.url, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('query Connectors');
    expect(html).toContain('Bearer <your token>');
    expect(html).toContain('sourceTypes { id }');
  });

  it('requires the token for /metrics but not for /healthz', async () => {
    const refused = await fetch(endpoint('/metrics'));
    expect(refused.status).toBe(401);
    const answered = await fetch(endpoint('/metrics'), { headers: bearer(FIRST) });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('# TYPE');
    expect((await fetch(endpoint('/healthz'))).status).toBe(200);
  });

  it('lets the CLI in with --token or TRIBUTARY_API_TOKEN and reports UNAUTHENTICATED without', async () => {
    const list = ['--url', server.url, 'connectors', 'list'];
    const withFlag = await runCli(['--token', SECOND, ...list], { TRIBUTARY_API_TOKEN: '' });
    expect(withFlag).toMatchObject({ code: EXIT.ok, stderr: '' });
    const withEnv = await runCli(list, { TRIBUTARY_API_TOKEN: FIRST });
    expect(withEnv).toMatchObject({ code: EXIT.ok, stderr: '' });
    const without = await runCli(list, { TRIBUTARY_API_TOKEN: '' });
    expect(without.code).toBe(EXIT.refused);
    expect(without.stderr).toMatch(/^error: UNAUTHENTICATED: a valid API token is required/);
  });
});

describe('API token on graphql-ws', () => {
  const outcome = async (params?: Record<string, unknown>) => {
    const client = wsClient(server.url, params);
    try {
      return await wsQuery(client, '{ sourceTypes { id } }');
    } finally {
      await client.dispose();
    }
  };

  it('closes a connection without a token or with a wrong one with 4403 Forbidden', async () => {
    for (const params of [
      undefined,
      {},
      { token: 'nope' },
      { authorization: 'Bearer nope' },
      { token: '' },
    ]) {
      expect(await outcome(params)).toEqual({ close: { code: 4403, reason: 'Forbidden' } });
    }
  });

  it('accepts the token as { authorization: "Bearer ..." }, any letter case, or as { token }', async () => {
    for (const params of [
      { authorization: `Bearer ${FIRST}` },
      { Authorization: `Bearer ${SECOND}` },
      { token: FIRST },
    ]) {
      const result = await outcome(params);
      expect(result.errors).toBeUndefined();
      expect((result.data as { sourceTypes: unknown[] }).sourceTypes.length).toBeGreaterThan(0);
    }
  });

  it('accepts the Authorization header of the upgrade request', async () => {
    class WithHeader extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: bearer(SECOND) });
      }
    }
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WithHeader,
      retryAttempts: 0,
    });
    try {
      const result = await wsQuery(client, '{ sourceTypes { id } }');
      expect((result.data as { sourceTypes: unknown[] }).sourceTypes.length).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });
});

describe('API token secrecy', () => {
  it('never writes a token to the log', async () => {
    await gql(server.url, '{ sourceTypes { id } }', undefined, { authorization: `Bearer ${FIRST}-wrong` });
    await gql(server.url, '{ nope }', undefined, bearer(FIRST));
    const log = server.logs.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(FIRST);
    expect(log).not.toContain(SECOND);
  });
});
