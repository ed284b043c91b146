import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { freePort } from '../../core/target/free-port.js';
import { runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
let server: ServerProcess;
const cli = (args: string[], stdin?: string) => runCli(['--url', server.url, ...args], {}, stdin);
const ADD = ['connectors', 'add', '--name', 'cli_src', '--type', 'memory', '--host', 'h', '--port', '5432'];
const REST = ['--user', 'u', '--database', 'shop'];

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  server = await startServerProcess({ TRIBUTARY_DATABASE_URL: db.url, TRIBUTARY_SECRET_KEY: generateKey() });
});
afterAll(async () => {
  await server?.stop();
  await db?.[Symbol.asyncDispose]();
});

describe('tributary connectors', () => {
  it('lists no connectors on a fresh server', async () => {
    const result = await cli(['connectors', 'list']);
    expect(result).toMatchObject({ code: EXIT.ok, stdout: 'no connectors\n' });
  });

  it('adds a connector, reading the password from stdin', async () => {
    const result = await cli(
      [...ADD, ...REST, '--password-stdin', '--tables', 'shop.a, shop.b'],
      'cli-pass\n',
    );
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: EXIT.ok, stdout: 'added connector cli_src (memory)\n' });
    const row = (await db.query('SELECT tables, secrets FROM tributary.connectors')).rows[0];
    expect(row?.tables).toEqual(['shop.a', 'shop.b']);
    expect(row?.secrets).not.toContain('cli-pass');
  });

  it('lists connectors as a table and as JSON', async () => {
    const table = await cli(['connectors', 'list']);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+SOURCE\s+STAGE\s+STATE\s+ERROR$/);
    expect(table.stdout).toMatch(/cli_src\s+memory\s+h:5432\/shop\s+INITIAL_SNAPSHOT\s+STOPPED/);
    const json = await cli(['connectors', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'cli_src', type: 'memory', port: 5432, tables: ['shop.a', 'shop.b'] }),
    ]);
    expect(json.stdout).not.toContain('cli-pass');
  });

  it('exits 4 with the server code when the server refuses', async () => {
    const duplicate = await cli([...ADD, ...REST, '--password', 'x']);
    expect(duplicate.code).toBe(EXIT.refused);
    expect(duplicate.stderr).toBe(
      'error: ALREADY_EXISTS: a connector named "cli_src" already exists; choose another name\n',
    );
    const badPort = await cli([
      'connectors',
      'add',
      '--name',
      'p',
      '--type',
      'memory',
      '--host',
      'h',
      '--port',
      '70000',
      ...REST,
      '--password',
      'x',
    ]);
    expect(badPort.code).toBe(EXIT.refused);
    expect(badPort.stderr).toMatch(/INVALID_INPUT: port must be between 1 and 65535/);
    const badJson = await cli([
      'connectors',
      'add',
      '--name',
      'j',
      '--type',
      'memory',
      '--host',
      'h',
      '--port',
      '1',
      ...REST,
      '--password',
      'x',
      '--options',
      '{oops',
    ]);
    expect(badJson.code).toBe(EXIT.refused);
    expect(badJson.stderr).toMatch(/INVALID_INPUT: options is not valid JSON/);
    const unknown = await cli(['connectors', 'delete', 'ghost']);
    expect(unknown).toMatchObject({
      code: EXIT.notFound,
      stderr: 'error: NOT_FOUND: no connector named "ghost"\n',
    });
  });

  it('exits 2 for bad usage without calling the server', async () => {
    const missing = await cli(['connectors', 'add', '--name', 'x']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/required option '--type <type>' not specified/);
    const notNumber = await cli([
      'connectors',
      'add',
      '--name',
      'n',
      '--type',
      'memory',
      '--host',
      'h',
      '--port',
      'abc',
      ...REST,
      '--password',
      'x',
    ]);
    expect(notNumber).toMatchObject({
      code: EXIT.usage,
      stderr: 'error: --port must be a whole number, not "abc"\n',
    });
    const noPassword = await cli([...ADD, ...REST]);
    expect(noPassword).toMatchObject({
      code: EXIT.usage,
      stderr: 'error: give --password or --password-stdin\n',
    });
    const casing = await cli([...ADD, ...REST, '--password', 'x', '--letter-casing', 'camel']);
    expect(casing.code).toBe(EXIT.usage);
    expect(casing.stderr).toMatch(/Allowed choices are lowercase, uppercase, asis/);
  });

  it('deletes a connector', async () => {
    const result = await cli(['connectors', 'delete', 'cli_src', '--json']);
    expect(result).toMatchObject({ code: EXIT.ok });
    expect(JSON.parse(result.stdout)).toEqual({
      deleted: 'cli_src',
      leftBehind: [],
      unknownLeftovers: false,
    });
    expect((await db.query('SELECT count(*)::int AS n FROM tributary.connectors')).rows[0]?.n).toBe(0);
  });

  it('exits 3 when no server answers', async () => {
    const port = await freePort();
    const result = await runCli(['--url', `http://127.0.0.1:${port}/graphql`, 'connectors', 'list']);
    expect(result.code).toBe(EXIT.unreachable);
    expect(result.stderr).toBe(
      `error: cannot reach the Tributary server at http://127.0.0.1:${port}/graphql (ECONNREFUSED); is it running? Set --url or TRIBUTARY_URL\n`,
    );
  });
});
