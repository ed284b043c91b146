import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { runCli, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const TOKEN = 'bind-test-token-9d3e51';
const REFUSAL =
  'error: TRIBUTARY_HOST: binding to 0.0.0.0 without an API token would let anyone who can reach it control ' +
  'Tributary; set TRIBUTARY_API_TOKEN, bind to 127.0.0.1, or pass --allow-unauthenticated ' +
  '(TRIBUTARY_ALLOW_UNAUTHENTICATED=true)\n';

let db: TestDatabase;
let dataDir: string;
const env = (extra: Record<string, string> = {}) => ({
  TRIBUTARY_DATABASE_URL: db.url,
  TRIBUTARY_DATA_DIR: dataDir,
  TRIBUTARY_HOST: '',
  TRIBUTARY_API_TOKEN: '',
  TRIBUTARY_ALLOW_UNAUTHENTICATED: '',
  ...extra,
});
/** The server listens on every address; the tests reach it on loopback only. */
const onLoopback = (url: string) => url.replace('//0.0.0.0:', '//127.0.0.1:');
const warnings = (output: string) =>
  output.split('\n').filter((line) => line.includes('without an API token'));

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-bind-'));
});
afterAll(async () => {
  await db?.[Symbol.asyncDispose]();
  await rm(dataDir, { recursive: true, force: true });
});

describe('tributary serve bind policy', () => {
  it('refuses to bind 0.0.0.0 without a token, whether the host comes from the flag or the environment', async () => {
    const byFlag = await runCli(['serve', '--port', '0', '--host', '0.0.0.0'], env());
    expect(byFlag).toMatchObject({ code: EXIT.usage, stderr: REFUSAL });
    const byEnv = await runCli(['serve', '--port', '0'], env({ TRIBUTARY_HOST: '0.0.0.0' }));
    expect(byEnv).toMatchObject({ code: EXIT.usage, stderr: REFUSAL });
  });

  it('serves 0.0.0.0 without a token with --allow-unauthenticated, warning once', async () => {
    const server = await startServerProcess(env(), ['--host', '0.0.0.0', '--allow-unauthenticated']);
    try {
      expect(server.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/graphql$/);
      const result = await gql(onLoopback(server.url), '{ sourceTypes { id } }');
      expect(result.errors).toBeUndefined();
      const warned = warnings(server.output());
      expect(warned).toHaveLength(1);
      expect(JSON.parse(warned[0] ?? '{}')).toMatchObject({ level: 40, host: '0.0.0.0' });
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('serves 0.0.0.0 without a token when TRIBUTARY_ALLOW_UNAUTHENTICATED=true', async () => {
    const server = await startServerProcess(
      env({ TRIBUTARY_HOST: '0.0.0.0', TRIBUTARY_ALLOW_UNAUTHENTICATED: 'true' }),
    );
    try {
      expect(warnings(server.output())).toHaveLength(1);
      expect((await gql(onLoopback(server.url), '{ sourceTypes { id } }')).errors).toBeUndefined();
    } finally {
      await server.stop('SIGTERM');
    }
  });

  it('serves 0.0.0.0 with a token, requiring it, without a warning and without logging it', async () => {
    const server = await startServerProcess(env({ TRIBUTARY_API_TOKEN: TOKEN }), ['--host', '0.0.0.0']);
    try {
      const url = onLoopback(server.url);
      const refused = await gql(url, '{ sourceTypes { id } }');
      expect(refused.status).toBe(401);
      expect(errorCode(refused)).toBe('UNAUTHENTICATED');
      const answered = await gql(url, '{ sourceTypes { id } }', undefined, {
        authorization: `Bearer ${TOKEN}`,
      });
      expect(answered.errors).toBeUndefined();
      const cli = await runCli(['connectors', 'list'], { TRIBUTARY_URL: url, TRIBUTARY_API_TOKEN: TOKEN });
      expect(cli).toMatchObject({ code: EXIT.ok, stderr: '' });
      expect(server.output()).toMatch(/"auth":"token".*Tributary ready/);
      expect(warnings(server.output())).toHaveLength(0);
    } finally {
      await server.stop('SIGTERM');
    }
    expect(server.output()).not.toContain(TOKEN);
  });
});
