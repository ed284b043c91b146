import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { CLI, runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const ROWS = 1_000_000;
let target: TestDatabase;
let source: TestDatabase;
let server: ServerProcess;

const api = async (query: string, variables: Record<string, unknown> = {}) => {
  const result = await gql<Record<string, unknown>>(server.url, query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data;
};
const connectorState = async () =>
  (
    (await api('{ connector(name: "pg_watch") { state { stage state error } } }')) as {
      connector: { state: { stage: string; state: string; error: string | null } };
    }
  ).connector.state;
const waitForStreaming = () =>
  waitFor(
    'pg_watch to stream',
    async () => ((await connectorState()).stage === 'CHANGE_DATA_CAPTURE' ? true : undefined),
    120_000,
    200,
  );

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what it removes
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** A running `tributary watch`, its output collected; killed with its process group on dispose. */
function spawnWatch(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}
const killGroup = (child: ChildProcess) => {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  source = await createTestDatabase(inject('sourceClusterUrl'), 'watch_src');
  await source.query('CREATE TABLE big (id int PRIMARY KEY, label text, amount numeric)');
  await source.query(
    `INSERT INTO big SELECT g, repeat('x', 40) || g, g * 1.5 FROM generate_series(1, ${ROWS}) g`,
  );
  await source.query('ANALYZE big');
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: target.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
  });
  const at = new URL(source.url);
  await api('mutation ($input: AddConnectorInput!) { addConnector(input: $input) { name } }', {
    input: {
      name: 'pg_watch',
      type: 'postgres',
      host: at.hostname,
      port: Number(at.port),
      user: decodeURIComponent(at.username),
      password: decodeURIComponent(at.password),
      database: source.name,
      tables: ['public.big'],
    },
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await source?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
});

describe('tributary watch', () => {
  it('draws a progress bar that advances during a real snapshot, in a terminal, then the CDC figures', async () => {
    const command = `stty cols 140 rows 50; exec '${process.execPath}' '${CLI}' --url '${server.url}' watch pg_watch --interval 100`;
    const watch = spawnWatch('script', ['-qfc', command, '/dev/null']);
    try {
      await waitFor('the view to show the stopped connector', () =>
        /pg_watch.*STOPPED/.test(stripAnsi(watch.output())) ? true : undefined,
      );
      await api('mutation { startConnector(name: "pg_watch") { name } }');
      await waitForStreaming();
      await waitFor('the CDC line', () =>
        /CDC .* events\/s {2}lag /.test(stripAnsi(watch.output())) ? true : undefined,
      );
    } finally {
      killGroup(watch.child);
    }
    const screen = stripAnsi(watch.output());
    expect(screen).toContain('tributary watch');
    expect(watch.output()).toContain('\x1b['); // redrawn in place with escape sequences
    const percentages = [
      ...screen.matchAll(/public\.big\s+[█░]{24}\s+(\d+)%\s+([\d,]+) \/ ([\d,]+) rows/g),
    ].map((match) => Number(match[1]));
    const copying = percentages.filter((value) => value < 100);
    expect(new Set(copying).size).toBeGreaterThanOrEqual(2);
    expect(copying).toEqual([...copying].sort((a, b) => a - b));
    expect(screen).toMatch(new RegExp(`snapshot done: ${ROWS.toLocaleString('en-US')} rows in 1 table`));
    expect(screen.lastIndexOf('CDC ')).toBeGreaterThan(screen.lastIndexOf('public.big'));
    // rate and ETA need a few readings: a copy this fast may end before them (watch-render.test.ts)
  }, 240_000);

  it('prints one plain line per change when its output is not a terminal, errors included', async () => {
    const watch = spawnWatch(process.execPath, [CLI, '--url', server.url, 'watch', '--interval', '200']);
    try {
      await waitFor('the first line', () =>
        /pg_watch CHANGE_DATA_CAPTURE/.test(watch.output()) ? true : undefined,
      );
      await api('mutation { restartConnector(name: "pg_watch", mode: ALWAYS) { name } }');
      await waitFor(
        'a snapshot line',
        () => (/ snapshot 0\/1 tables/.test(watch.output()) ? true : undefined),
        60_000,
      );
      await waitForStreaming();
      await api('mutation { stopConnector(name: "pg_watch") { name } }');
      await api('mutation { updateConnector(name: "pg_watch", input: { port: 1 }) { name } }');
      await api('mutation { startConnector(name: "pg_watch", mode: NEVER) { name } }');
      await waitFor(
        'the error line',
        () => (/ pg_watch error: /.test(watch.output()) ? true : undefined),
        60_000,
      );
    } finally {
      killGroup(watch.child);
    }
    const output = watch.output();
    expect(output).not.toContain('\x1b');
    const lines = output.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z pg_watch /);
    const texts = lines.map((line) => line.slice(25));
    expect(texts.filter((text, i) => i > 0 && text === texts[i - 1])).toEqual([]);
    expect(output).toMatch(
      / pg_watch INITIAL_SNAPSHOT \w+ snapshot 0\/1 tables public\.big \d+% [\d,]+\/[\d,]+ rows/,
    );
    expect(output).toMatch(/ pg_watch CHANGE_DATA_CAPTURE \w+ CDC [\d,…]+ events\/s {2}lag /);
  }, 240_000);

  it('prints one JSON object per line with --json', async () => {
    const watch = spawnWatch(process.execPath, [CLI, '--url', server.url, 'watch', 'pg_watch', '--json']);
    try {
      await waitFor('a line with statistics', () => (/"stats":\{/.test(watch.output()) ? true : undefined));
    } finally {
      killGroup(watch.child);
    }
    const lines = watch
      .output()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    // The connector still holds the error of the previous test: it comes first, as a notice.
    expect(lines[0]).toMatchObject({
      at: expect.stringMatching(/Z$/),
      connector: 'pg_watch',
      kind: 'error',
      text: expect.any(String),
    });
    expect(lines[1]).toMatchObject({
      connector: { name: 'pg_watch', type: 'postgres', state: { error: lines[0].text }, stats: null },
    });
    expect(lines.at(-1)).toMatchObject({
      connector: {
        name: 'pg_watch',
        stats: { totalEvents: expect.any(Number), snapshotProgress: { tables: [{ table: 'public.big' }] } },
      },
    });
  });

  it('exits 6 for an unknown connector and 3 when the server cannot be reached', async () => {
    const ghost = await runCli(['--url', server.url, 'watch', 'ghost']);
    expect(ghost).toMatchObject({ code: EXIT.notFound, stdout: '' });
    expect(ghost.stderr).toMatch(/^error: NOT_FOUND: .*"ghost"/);
    const nowhere = await runCli(['--url', 'http://127.0.0.1:1/graphql', 'watch']);
    expect(nowhere.code).toBe(EXIT.unreachable);
    expect(nowhere.stderr).toMatch(
      /^error: cannot watch the Tributary server at http:\/\/127\.0\.0\.1:1\/graphql/,
    );
  });
});
