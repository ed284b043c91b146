import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { wsClient } from '../support/graphql-ws-client.js';
import { wsQuery } from '../support/graphql-ws-query.js';
import { runCli } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-runtime.js';

const ADMIN = 'admin-token-5d1e';
const OPERATOR = 'operator-token-c39a';
const VIEWER = 'viewer-token-8b02';

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  server = await startTestServer(db.url, {
    TRIBUTARY_API_TOKEN: `admin:${ADMIN}, operator:${OPERATOR}, viewer:${VIEWER}`,
  });
  const added = await as(ADMIN, ADD('shop'));
  expect(added.errors).toBeUndefined();
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  await db?.[Symbol.asyncDispose]();
});

const as = (token: string, query: string) =>
  gql(server.url, query, undefined, { authorization: `Bearer ${token}` });
const ADD = (name: string) => `mutation { addConnector(input: {
  name: "${name}", type: "memory", host: "h", port: 1, user: "u", password: "hunter2", database: "shop" }) { name } }`;
const RULE = `mutation { addObjectMapping(connector: "shop", kind: TRANSFORM, source: "shop.t.c", destination: "%d + 1") { source } }`;
const connectors = async () => (await db.query('SELECT name FROM tributary.connectors ORDER BY name')).rows;
const rules = async () => (await db.query('SELECT source FROM tributary.mapping_rules')).rows;

interface Entry {
  role: string;
  tokenId: string | null;
  mutation: string;
  connector: string | null;
  arguments: Record<string, unknown>;
  outcome: string;
}
const AUDIT = '{ auditLog(limit: 50) { role tokenId mutation connector arguments outcome } }';
const audit = async () => ((await as(ADMIN, AUDIT)).data as { auditLog: Entry[] }).auditLog;

describe('token roles', () => {
  it('lets a viewer query but not mutate over HTTP: FORBIDDEN, nothing done', async () => {
    const read = await as(VIEWER, '{ connectors { name } }');
    expect(read.data).toEqual({ connectors: [{ name: 'shop' }] });
    for (const mutation of [ADD('viewers'), 'mutation { stopConnector(name: "shop") { name } }', RULE]) {
      const result = await as(VIEWER, mutation);
      expect(errorCode(result)).toBe('FORBIDDEN');
    }
    const refused = await as(VIEWER, 'mutation { stopConnector(name: "shop") { name } }');
    expect(refused.errors?.[0]?.message).toBe(
      'stopConnector needs a token with the operator role; this one (viewer#3) has the viewer role',
    );
    expect(await connectors()).toEqual([{ name: 'shop' }]);
    expect(await rules()).toEqual([]);
    // the dry run connects to the source with the stored credentials: an operator's query
    const check = await as(VIEWER, '{ checkConnector(name: "shop") { ok } }');
    expect(check.errors?.[0]?.message).toBe(
      'checkConnector needs a token with the operator role; this one (viewer#3) has the viewer role',
    );
    expect(errorCode(check)).toBe('FORBIDDEN');
    expect(errorCode(await as(OPERATOR, '{ checkConnector(name: "shop") { ok } }'))).toBeUndefined();
  });

  it('lets a viewer query but not mutate over WebSocket', async () => {
    const client = wsClient(server.url, { token: VIEWER });
    try {
      const read = await wsQuery(client, '{ connectors { name } }');
      expect(read.data).toEqual({ connectors: [{ name: 'shop' }] });
      const write = await wsQuery(client, ADD('sockets'));
      expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await client.dispose();
    }
    expect(await connectors()).toEqual([{ name: 'shop' }]);
  });

  it('lets an operator stop and start a connector but not add connectors or rules', async () => {
    expect(errorCode(await as(OPERATOR, ADD('ops')))).toBe('FORBIDDEN');
    expect(errorCode(await as(OPERATOR, RULE))).toBe('FORBIDDEN');
    expect(await connectors()).toEqual([{ name: 'shop' }]);
    expect(await rules()).toEqual([]);
    const stopped = await as(OPERATOR, 'mutation { stopConnector(name: "shop") { name } }');
    expect(stopped.errors).toBeUndefined();
    const started = await as(OPERATOR, 'mutation { startConnector(name: "shop", mode: NEVER) { name } }');
    expect(started.errors).toBeUndefined();
    await as(OPERATOR, 'mutation { stopConnector(name: "shop") { name } }');
  });

  it('lets only an admin check unsaved settings, which make the server connect wherever they say', async () => {
    const probe = `{ checkConnectorSettings(input: {
      name: "probe", type: "memory", host: "h", port: 1, user: "u", password: "p", database: "shop" }) { ok } }`;
    for (const token of [VIEWER, OPERATOR]) {
      const refused = await as(token, probe);
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.message).toMatch(
        /^checkConnectorSettings needs a token with the admin role;/,
      );
    }
    expect(errorCode(await as(ADMIN, probe))).toBeUndefined();
    expect(await connectors()).toEqual([{ name: 'shop' }]);
  });

  it('lets an admin add rules, and only an admin read the audit trail', async () => {
    expect((await as(ADMIN, RULE)).errors).toBeUndefined();
    expect(await rules()).toEqual([{ source: 'shop.t.c' }]);
    expect(errorCode(await as(OPERATOR, AUDIT))).toBe('FORBIDDEN');
    expect(errorCode(await as(VIEWER, AUDIT))).toBe('FORBIDDEN');
  });

  it('records every mutation, allowed or refused, with role, token id and outcome, secrets redacted', async () => {
    const entries = (await audit()).reverse();
    const brief = entries.map((e) => `${e.tokenId} ${e.mutation} ${e.connector} ${e.outcome}`);
    expect(brief).toEqual([
      'admin#1 addConnector shop ok',
      'viewer#3 addConnector viewers FORBIDDEN',
      'viewer#3 stopConnector shop FORBIDDEN',
      'viewer#3 addObjectMapping shop FORBIDDEN',
      'viewer#3 stopConnector shop FORBIDDEN',
      'viewer#3 addConnector sockets FORBIDDEN',
      'operator#2 addConnector ops FORBIDDEN',
      'operator#2 addObjectMapping shop FORBIDDEN',
      'operator#2 stopConnector shop ok',
      'operator#2 startConnector shop ok',
      'operator#2 stopConnector shop ok',
      'admin#1 addObjectMapping shop ok',
    ]);
    expect(entries[0]?.role).toBe('admin');
    expect(entries[0]?.arguments).toMatchObject({ input: { name: 'shop', password: '***', user: 'u' } });
    const stored = await db.query(
      "SELECT count(*)::int AS n FROM tributary.audit_log WHERE arguments::text LIKE '%hunter2%'",
    );
    expect(stored.rows[0]?.n).toBe(0);
  });

  it('has the CLI present the token it is given, without its role, and report FORBIDDEN', async () => {
    const remove = ['--url', server.url, 'connectors', 'delete', 'shop'];
    const viewer = await runCli(remove, { TRIBUTARY_API_TOKEN: `viewer:${VIEWER}` });
    expect(viewer.code).toBe(EXIT.refused);
    expect(viewer.stderr).toMatch(
      /^error: FORBIDDEN: deleteConnector(Detailed)? needs a token with the admin role/,
    );
    const operator = await runCli(['--token', OPERATOR, ...remove], { TRIBUTARY_API_TOKEN: '' });
    expect(operator.stderr).toMatch(
      /^error: FORBIDDEN: deleteConnector(Detailed)? needs a token with the admin role/,
    );
    const list = await runCli(['--url', server.url, 'connectors', 'list'], {
      TRIBUTARY_API_TOKEN: `viewer:${VIEWER}`,
    });
    expect(list).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(await connectors()).toEqual([{ name: 'shop' }]);
  });

  it('logs each mutation with the role and token id, never a token', () => {
    const lines = server.logs.filter((line) => line.includes('"msg":"mutation"'));
    expect(
      lines.some((line) => line.includes('"role":"operator"') && line.includes('"tokenId":"operator#2"')),
    ).toBe(true);
    for (const token of [ADMIN, OPERATOR, VIEWER, 'hunter2'])
      expect(server.logs.some((line) => line.includes(token))).toBe(false);
  });
});
