import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { fixturePlugin } from '../support/fixture-plugins.js';
import { gql } from '../support/graphql-http.js';
import { runCli, startServerProcess } from '../support/server-process.js';

let dataDir: string;
const postgresRunningIn = (dir: string) => {
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return processes.split('\n').some((line) => line.includes('postgres -D') && line.includes(dir));
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-serve-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('tributary serve without a database URL', () => {
  const env = () => ({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' });

  it('starts an embedded PostgreSQL, serves GraphiQL and the API, and stops both on SIGINT', async () => {
    const server = await startServerProcess(env());
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const page = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>Tributary<\/title>/);
      expect((await fetch(server.url.replace('/graphql', '/healthz'))).status).toBe(200);
      const added = await gql(
        server.url,
        'mutation { addConnector(input: { name: "kept", type: "memory", host: "h", port: 1, user: "u", password: "p", database: "d" }) { name } }',
      );
      expect(added.errors).toBeUndefined();
      expect(postgresRunningIn(dataDir)).toBe(true);
    } finally {
      expect(await server.stop('SIGINT')).toBe(0);
    }
    expect(server.output()).toMatch(/"msg":"stopped"/);
    expect(postgresRunningIn(dataDir)).toBe(false);
  });

  it('keeps its generated secret key private to the owner', async () => {
    expect((await stat(path.join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
  });

  it('keeps the connectors added before when started again', async () => {
    const server = await startServerProcess(env());
    try {
      const result = await gql<{ connectors: { name: string }[] }>(server.url, '{ connectors { name } }');
      expect(result.data?.connectors).toEqual([{ name: 'kept' }]);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('recovers the data directory from a server that was killed', async () => {
    const killed = await startServerProcess(env());
    await killed.stop('SIGKILL');
    const server = await startServerProcess(env());
    try {
      const result = await gql<{ connectors: { name: string }[] }>(server.url, '{ connectors { name } }');
      expect(result.data?.connectors).toEqual([{ name: 'kept' }]);
    } finally {
      await server.stop('SIGINT');
    }
  });
});

describe('tributary serve with third-party plugins', () => {
  it('offers a plugin package named in TRIBUTARY_PLUGINS as a source type', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tributary-plugins-'));
    const server = await startServerProcess({
      TRIBUTARY_DATA_DIR: dir,
      TRIBUTARY_PLUGINS: fixturePlugin('echo-source'),
    });
    try {
      const result = await gql<{ sourceTypes: { id: string }[] }>(
        server.url,
        '{ sourceTypes { id snapshotModes capturesSchemaChanges } }',
      );
      expect(result.data?.sourceTypes).toContainEqual({
        id: 'echo',
        snapshotModes: ['INITIAL', 'NEVER'],
        capturesSchemaChanges: false,
      });
    } finally {
      await server.stop('SIGINT');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a plugin built for another apiVersion, naming the package', async () => {
    const result = await runCli(['serve', '--port', '0'], {
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_PLUGINS: fixturePlugin('old-api'),
    });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(
      `error: source plugin from package "${fixturePlugin('old-api')}": apiVersion 0 is not supported`,
    );
  });

  it('refuses to start with a bad setting, naming the variable', async () => {
    const result = await runCli(['serve'], { TRIBUTARY_PORT: '70000' });
    expect(result).toMatchObject({
      code: EXIT.usage,
      stderr: 'error: TRIBUTARY_PORT: must be between 0 and 65535\n',
    });
  });
});
