import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

// The steps of the README's "Writing a source plugin", taken by a third-party author: the packed
// package installed into a folder of its own, a plugin written there against `tributary/plugin`
// (test/package/jsonl-source: a directory of JSON-lines files), the shipped contract suite
// (`tributary/testing`, vitest as its peer dependency) run against it, and `tributary serve` loading it.
const exec = promisify(execFile);
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = (args: string[], cwd: string) => exec('npm', args, { cwd, timeout: 120_000 });
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'];
/** The vitest this repository tests with, so the author's install can come from the npm cache. */
const VITEST_VERSION = (createRequire(import.meta.url)('vitest/package.json') as { version: string }).version;

let scratch: string;
let target: TestDatabase;
let server: ChildProcess | undefined;
let url: string;
let contract: { code: number; passed: number; failed: string[] };

const line = (op: string, row: Record<string, unknown>) => `${JSON.stringify({ op, row })}\n`;

async function serve(env: Record<string, string>): Promise<string> {
  const cli = path.join(scratch, 'node_modules', 'tributary', 'dist', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    cwd: scratch,
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server = child;
  let output = '';
  return new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Tributary ready at (http:\/\/\S+\/graphql)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

beforeAll(async () => {
  await access(path.join(repo, 'dist', 'cli', 'main.js')).catch(() => npm(['run', 'build'], repo));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'tributary-author-'));
  // 1. pack the project and install the tarball beside the plugin package
  const { stdout } = await npm(['pack', '--ignore-scripts', '--pack-destination', scratch], repo);
  const tarball = path.join(scratch, stdout.trim().split('\n').at(-1) ?? '');
  await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'author', private: true }));
  await cp(path.join(repo, 'test', 'package', 'jsonl-source'), path.join(scratch, 'jsonl-source'), {
    recursive: true,
  });
  await npm(['install', tarball, './jsonl-source', ...INSTALL_FLAGS], scratch);
  // 2. the plugin itself is test/package/jsonl-source
  // 3. the shipped contract suite, with the test runner it declares as its peer dependency
  await npm(['install', '--save-dev', `vitest@${VITEST_VERSION}`, ...INSTALL_FLAGS], scratch);
  contract = await runAuthorTests();
  // (the source step 5 replicates: one table, `orders`, two rows and a change in its history)
  const data = path.join(scratch, 'data');
  await mkdir(data);
  await writeFile(
    path.join(data, 'orders.schema.json'),
    JSON.stringify({
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'item', type: 'text' },
      ],
      primaryKey: ['id'],
    }),
  );
  await writeFile(
    path.join(data, 'orders.jsonl'),
    line('insert', { id: 1, item: 'tea' }) +
      line('insert', { id: 2, item: 'cake' }) +
      line('update', { id: 1, item: 'green tea' }),
  );
  // 4. serve with the plugin package, by name, from the author's folder
  target = await createTestDatabase(inject('targetClusterUrl'));
  url = await serve({
    TRIBUTARY_DATABASE_URL: target.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
    TRIBUTARY_PLUGINS: 'jsonl-source',
  });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGKILL');
    await once(server, 'exit');
  }
  await target?.[Symbol.asyncDispose]();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const orders = async () =>
  (await target.query<{ id: number; item: string }>('SELECT id, item FROM shop.orders ORDER BY id')).rows;

/** `npx vitest run` in the author's folder, outside this test run: its exit code and JSON report. */
async function runAuthorTests(): Promise<{ code: number; passed: number; failed: string[] }> {
  const report = path.join(scratch, 'vitest-report.json');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  const child = spawn('npx', ['--no-install', 'vitest', 'run', '--reporter=json', `--outputFile=${report}`], {
    cwd: scratch,
    env,
    stdio: 'ignore',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const result = JSON.parse(await readFile(report, 'utf8')) as {
    numPassedTests: number;
    testResults: { assertionResults: { fullName: string; status: string }[] }[];
  };
  const failed = result.testResults
    .flatMap((file) => file.assertionResults)
    .filter((test) => test.status !== 'passed')
    .map((test) => `${test.fullName}: ${test.status}`);
  return { code: code ?? -1, passed: result.numPassedTests, failed };
}

describe('a third-party plugin installed beside the packed package', () => {
  it('passes the contract suite shipped as tributary/testing, run by the author with npx vitest', async () => {
    expect(contract.failed).toEqual([]);
    expect(contract.code).toBe(0);
    expect(contract.passed).toBeGreaterThan(0);
  });

  it('replicates its source end to end: the snapshot, then lines appended to the file', async () => {
    const types = await gql<{ sourceTypes: { id: string }[] }>(url, '{ sourceTypes { id } }');
    expect(types.data?.sourceTypes.map((type) => type.id)).toContain('jsonl');
    const added = await gql(
      url,
      'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } startConnector(name: "shop") { name } }',
      {
        i: {
          name: 'shop',
          type: 'jsonl',
          host: 'localhost',
          port: 1,
          user: 'files',
          password: 'unused',
          database: 'shop',
          tables: ['shop.orders'],
          options: { directory: path.join(scratch, 'data') },
        },
      },
    );
    expect(added.errors).toBeUndefined();
    await waitFor('the snapshot', async () =>
      (await orders().catch(() => [])).length === 2 ? true : undefined,
    );
    expect(await orders()).toEqual([
      { id: 1, item: 'green tea' },
      { id: 2, item: 'cake' },
    ]);

    await appendFile(
      path.join(scratch, 'data', 'orders.jsonl'),
      line('insert', { id: 3, item: 'scone' }) + line('delete', { id: 2 }),
    );
    await waitFor('the appended lines', async () => {
      const rows = await orders();
      return rows.length === 2 && rows[1]?.id === 3 ? true : undefined;
    });
    expect(await orders()).toEqual([
      { id: 1, item: 'green tea' },
      { id: 3, item: 'scone' },
    ]);
  });

  it('serves the prebuilt web console from the installed package', async () => {
    const origin = new URL(url).origin;
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await home.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${origin}${script}`)).status).toBe(200);
  });
});
