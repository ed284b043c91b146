import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey } from '../../core/secrets/secret-box.js';
import { runCli, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let target: TestDatabase;
let source: TestDatabase;
let server: ServerProcess;
const cli = (args: string[], stdin?: string) => runCli(['--url', server.url, ...args], {}, stdin);
const json = async (args: string[]) => {
  const result = await cli([...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(EXIT.ok);
  return JSON.parse(result.stdout);
};
const show = () => json(['connectors', 'show', 'pg_life']);
const waitForStage = (stage: string, state?: string) =>
  waitFor(`pg_life to reach ${stage} ${state ?? ''}`, async () => {
    const shown = await show();
    if (shown.state.error) throw new Error(shown.state.error);
    return shown.state.stage === stage && (!state || shown.state.state === state) ? shown : undefined;
  });

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  source = await createTestDatabase(inject('sourceClusterUrl'), 'life_src');
  await source.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await source.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g");
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: target.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
  });
  const at = new URL(source.url);
  const added = await cli(
    [
      ...['connectors', 'add', '--name', 'pg_life', '--type', 'postgres', '--host', at.hostname],
      ...['--port', at.port, '--user', decodeURIComponent(at.username), '--password-stdin'],
      ...['--database', source.name, '--tables', 'public.items'],
    ],
    decodeURIComponent(at.password),
  );
  expect(added.code).toBe(EXIT.ok);
});
afterAll(async () => {
  await server?.stop();
  await source?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
});

describe('tributary connectors lifecycle verbs', () => {
  it('shows a stopped connector with its settings, state and empty statistics', async () => {
    const text = await cli(['connectors', 'show', 'pg_life']);
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toMatch(/^name\s+pg_life\ntype\s+postgres\n/);
    expect(text.stdout).toMatch(/\nstage\s+INITIAL_SNAPSHOT\nstate\s+STOPPED\noffset\s+\(none yet\)\n/);
    const shown = await show();
    expect(shown).toMatchObject({
      name: 'pg_life',
      type: 'postgres',
      tables: ['public.items'],
      active: false,
      state: { stage: 'INITIAL_SNAPSHOT', state: 'STOPPED', error: null, warning: null, offset: null },
      stats: { totalEvents: 0, snapshotRows: 0, snapshotProgress: { running: false, tables: [] } },
    });
    expect(JSON.stringify(shown)).not.toContain(decodeURIComponent(new URL(source.url).password));
  });

  it('updates settings, printing the fields changed, and refuses an update without any', async () => {
    const text = await cli([
      'connectors',
      'update',
      'pg_life',
      '--error-strategy',
      'skip',
      '--letter-casing',
      'asis',
    ]);
    expect(text).toMatchObject({
      code: EXIT.ok,
      stdout: 'updated connector pg_life: letterCasing, errorStrategy\n',
    });
    expect(await json(['connectors', 'update', 'pg_life', '--letter-casing', 'lowercase'])).toMatchObject({
      name: 'pg_life',
      letterCasing: 'LOWERCASE',
      errorStrategy: 'SKIP',
    });
    const none = await cli(['connectors', 'update', 'pg_life']);
    expect(none).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(none.stderr).toBe('error: give at least one setting to change (see --help)\n');
    const badPort = await cli(['connectors', 'update', 'pg_life', '--port', 'x']);
    expect(badPort.code).toBe(EXIT.usage);
  });

  it('starts, then shows the snapshot done per table and the connector streaming', async () => {
    const started = await cli(['connectors', 'start', 'pg_life']);
    expect(started.code).toBe(EXIT.ok);
    expect(started.stdout).toMatch(/^started connector pg_life: \w+ \w+\n$/);
    const streaming = await waitForStage('CHANGE_DATA_CAPTURE');
    expect(streaming).toMatchObject({
      active: true,
      stats: {
        snapshotRows: 50,
        snapshotTables: 1,
        snapshotProgress: { tables: [{ table: 'public.items', status: 'DONE', rowsCopied: 50 }] },
      },
    });
    const text = await cli(['connectors', 'show', 'pg_life']);
    expect(text.stdout).toMatch(/\nsnapshot\s+50 rows in 1 tables\n/);
    // an idle source may already have committed a checkpoint's offset
    expect(text.stdout).toMatch(
      /\noffset\s+(\(none yet: no change committed since the start position\)|[0-9A-F/]+)\n/,
    );
    expect(text.stdout).toMatch(
      /\nTABLE\s+STATUS\s+ROWS\s+ESTIMATED\s+DONE\npublic\.items\s+DONE\s+50\s+\S+\s+100%\n/,
    );
  });

  it('exits 7 for set-offset while running, and 6 for an unknown connector', async () => {
    const running = await cli(['connectors', 'set-offset', 'pg_life', '0/0']);
    expect(running.code).toBe(EXIT.invalidState);
    expect(running.stderr).toMatch(/^error: INVALID_STATE: /);
    for (const verb of [
      'start',
      'stop',
      'pause',
      'resume',
      'restart',
      'reset-stats',
      'show',
      'dead-letters',
    ]) {
      const ghost = await cli(['connectors', verb, 'ghost']);
      expect({ verb, code: ghost.code, stdout: ghost.stdout }).toEqual({
        verb,
        code: EXIT.notFound,
        stdout: '',
      });
      expect(ghost.stderr).toMatch(/^error: NOT_FOUND: .*"ghost"/);
    }
    const ghostUpdate = await cli(['connectors', 'update', 'ghost', '--port', '1']);
    expect(ghostUpdate.code).toBe(EXIT.notFound);
    const ghostOffset = await cli(['connectors', 'set-offset', 'ghost', '0/0']);
    expect(ghostOffset.code).toBe(EXIT.notFound);
  });

  it('pauses, sets the offset while paused, and resumes streaming from it', async () => {
    await source.query("INSERT INTO items VALUES (51, 'late')");
    const applied = await waitFor('the insert to be applied', async () => {
      const shown = await show();
      return shown.stats.creates >= 1 && shown.state.offset ? shown : undefined;
    });
    const paused = await json(['connectors', 'pause', 'pg_life']);
    expect(paused).toMatchObject({ name: 'pg_life', active: true, state: { state: 'PAUSED' } });
    const offset = applied.state.offset as string;
    const set = await cli(['connectors', 'set-offset', 'pg_life', offset]);
    expect(set).toMatchObject({
      code: EXIT.ok,
      stdout: expect.stringMatching(/^set the offset of connector pg_life: /),
    });
    expect((await show()).state.offset).toBe(offset);
    const resumed = await json(['connectors', 'resume', 'pg_life']);
    expect(resumed.name).toBe('pg_life');
    await waitFor('pg_life to run again', async () =>
      (await show()).state.state !== 'PAUSED' ? true : undefined,
    );
  });

  it('resets the statistics and lists no dead letters', async () => {
    const reset = await json(['connectors', 'reset-stats', 'pg_life']);
    expect(reset).toMatchObject({ name: 'pg_life', state: { stage: 'CHANGE_DATA_CAPTURE' } });
    expect((await show()).stats).toMatchObject({ totalEvents: 0, creates: 0 });
    expect(await json(['connectors', 'dead-letters', 'pg_life'])).toEqual([]);
    const text = await cli(['connectors', 'dead-letters', 'pg_life', '--limit', '5']);
    expect(text).toMatchObject({ code: EXIT.ok, stdout: 'no dead letters\n' });
    const badLimit = await cli(['connectors', 'dead-letters', 'pg_life', '--limit', '0']);
    expect(badLimit.code).toBe(EXIT.refused);
    expect(badLimit.stderr).toMatch(/^error: INVALID_INPUT: /);
  });

  it('restarts in the mode given, and stops', async () => {
    const restarted = await json(['connectors', 'restart', 'pg_life', '--mode', 'never']);
    expect(restarted).toMatchObject({ name: 'pg_life', active: true });
    await waitForStage('CHANGE_DATA_CAPTURE');
    const badMode = await cli(['connectors', 'restart', 'pg_life', '--mode', 'sometimes']);
    expect(badMode.code).toBe(EXIT.usage);
    const stopped = await cli(['connectors', 'stop', 'pg_life']);
    expect(stopped).toMatchObject({
      code: EXIT.ok,
      stdout: expect.stringMatching(/^stopped connector pg_life: \w+ STOPPED\n$/),
    });
    expect(await show()).toMatchObject({ active: false, state: { state: 'STOPPED' } });
  });
});
