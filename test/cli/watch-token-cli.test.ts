import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { CLI, runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'watch-token-5d0e21';
let db: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: db.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
    TRIBUTARY_API_TOKEN: TOKEN,
  });
  const added = await runCli([
    ...['--url', server.url, '--token', TOKEN, 'connectors', 'add', '--name', 'mem', '--type', 'memory'],
    ...['--host', 'h', '--port', '1', '--user', 'u', '--password', 'p', '--database', 'd'],
  ]);
  expect(added.code).toBe(EXIT.ok);
});
afterAll(async () => {
  await server?.stop();
  await db?.[Symbol.asyncDispose]();
});

describe('tributary watch with an API token', () => {
  it('presents the token in connection_init and sees the connectors', async () => {
    const child: ChildProcess = spawn(process.execPath, [CLI, '--url', server.url, 'watch', '--json'], {
      env: { ...process.env, TRIBUTARY_API_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor('the connector line', () => (output.includes('"name":"mem"') ? true : undefined));
    } finally {
      child.kill('SIGINT');
    }
    expect(JSON.parse(output.split('\n')[0] ?? '')).toMatchObject({
      connector: { name: 'mem', type: 'memory', active: false, state: { state: 'STOPPED' } },
    });
  });

  it('exits 4 when the server refuses the token', async () => {
    const refused = await runCli(['--url', server.url, '--token', 'wrong', 'watch']);
    expect(refused).toMatchObject({ code: EXIT.refused, stdout: '' });
    expect(refused.stderr).toMatch(/^error: UNAUTHENTICATED: the server refused the token/);
  });
});
