import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { LOCK_FILE } from '../../core/data-dir-lock.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { runCli, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const postgresRunningIn = (dir: string) => {
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return processes.split('\n').some((line) => line.includes('postgres -D') && line.includes(dir));
};
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** A TCP port held by another listener for the duration of a test. */
async function takePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, server };
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-start-up-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('tributary serve in a data directory another server holds', () => {
  const env = () => ({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' });

  it('refuses at once, naming the running server, which goes on serving with its embedded PostgreSQL', async () => {
    await using first = await startServerProcess(env());
    const second = await runCli(['serve', '--port', '0'], env());
    expect(second.code).toBe(EXIT.usage);
    expect(second.stderr).toContain(
      `error: the data directory ${dataDir} is in use by another Tributary server (pid ${first.child.pid}, serving ${first.url}, since `,
    );
    expect(second.stderr).toContain(
      'stop that server first, or choose another --data-dir (TRIBUTARY_DATA_DIR)',
    );
    expect(first.child.exitCode).toBeNull();
    expect(postgresRunningIn(dataDir)).toBe(true);
    const answered = await gql(first.url, '{ connectors { name } }');
    expect(answered.errors).toBeUndefined();
    expect((await fetch(first.url.replace('/graphql', '/healthz'))).status).toBe(200);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(await exists(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('exits when its port is taken, stopping the embedded PostgreSQL it started', async () => {
    const taken = await takePort();
    try {
      const result = await runCli(['serve', '--port', String(taken.port)], env());
      expect(result).toMatchObject({
        code: EXIT.usage,
        stderr: expect.stringContaining(
          `error: port ${taken.port} is in use; set --port or TRIBUTARY_PORT\n`,
        ),
      });
    } finally {
      taken.server.close();
    }
    expect(postgresRunningIn(dataDir)).toBe(false);
    expect(await exists(path.join(dataDir, LOCK_FILE))).toBe(false);
  });
});

describe('tributary serve with active connectors', () => {
  let target: TestDatabase;
  let source: TestDatabase;
  let env: Record<string, string>;
  const slots = async () =>
    (
      await source.query<{ slot_name: string }>(
        'SELECT slot_name FROM pg_replication_slots WHERE database = $1',
        [source.name],
      )
    ).rows;
  /** The connector's flag and when its state last changed (a launch changes it at once). */
  const connectorRow = async () =>
    (
      await target.query(
        `SELECT c.active, s.state, s.updated_at FROM tributary.connectors c
           JOIN tributary.connector_state s ON s.connector = c.name WHERE c.name = $1`,
        ['pgc'],
      )
    ).rows[0];

  beforeAll(async () => {
    target = await createTestDatabase(inject('targetClusterUrl'));
    source = await createTestDatabase(inject('sourceClusterUrl'), 'startup');
    await source.query('CREATE TABLE public.items (id integer PRIMARY KEY)');
    env = {
      TRIBUTARY_DATABASE_URL: target.url,
      TRIBUTARY_SECRET_KEY: generateKey(),
      TRIBUTARY_DATA_DIR: dataDir,
    };
    await using server = await startServerProcess(env);
    const added = await gql(
      server.url,
      'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
      {
        i: { name: 'pgc', type: 'postgres', ...postgresConfig(source), tables: ['public.items'] },
      },
    );
    expect(added.errors).toBeUndefined();
    expect(await server.stop('SIGTERM')).toBe(0);
    // as if it had been started and the server then stopped: a start relaunches it
    await target.query('UPDATE tributary.connectors SET active = true WHERE name = $1', ['pgc']);
  });
  afterAll(async () => {
    await target?.[Symbol.asyncDispose]();
    await source?.[Symbol.asyncDispose]();
  });

  it('starts no connector when its port is taken', async () => {
    const before = await connectorRow();
    const taken = await takePort();
    try {
      const result = await runCli(['serve', '--port', String(taken.port)], env);
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr).toContain(`error: port ${taken.port} is in use; set --port or TRIBUTARY_PORT`);
      expect(result.stderr).not.toContain('"connector":"pgc"');
    } finally {
      taken.server.close();
    }
    expect(await slots()).toEqual([]);
    expect(await connectorRow()).toEqual({ ...before, active: true });
  });

  it('refuses a second server on the same target database, naming the first, which goes on', async () => {
    await using first = await startServerProcess(env, ['--safe-mode']);
    const second = await runCli(['serve', '--port', '0'], env);
    expect(second.code).toBe(EXIT.usage);
    expect(second.stderr).toMatch(
      /^error: another Tributary server already runs on this target database \(its session from [\d.:a-f]+, since [\dT:.-]+Z\); two servers would run the same connectors: stop it first, or give this one another database \(TRIBUTARY_DATABASE_URL\)$/m,
    );
    expect(second.stderr).not.toContain('"connector":"pgc"');
    expect((await gql(first.url, '{ connectors { name } }')).errors).toBeUndefined();
    expect(await first.stop('SIGTERM')).toBe(0);
  });

  it('starts none in safe mode either, naming the ones left stopped, which stay active for the next start', async () => {
    await using server = await startServerProcess(env, ['--safe-mode']);
    expect(server.output()).toContain('safe mode: no connector started; left stopped: pgc');
    const view = await gql<{ connector: { active: boolean; state: { state: string } } }>(
      server.url,
      '{ connector(name: "pgc") { active state { state } } }',
    );
    expect(view.data?.connector).toEqual({ active: true, state: { state: 'STOPPED' } });
    expect(await slots()).toEqual([]);
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
