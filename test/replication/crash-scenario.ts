import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';
import {
  crashSeed,
  describeSchedule,
  type KillPhase,
  type KillStep,
  killSchedule,
} from './crash-schedule.js';

/**
 * One source for the crash scenario: a database holding `accounts` (primary key `id`,
 * `accountRows` rows) and `ledger` (no key), and a `churn` that commits a mix of inserts, updates,
 * key changes and deletes in transactions of 40 changes.
 */
export interface CrashSource {
  /** Rows `accounts` starts with (the copy kills land at a share of them). */
  readonly accountRows: number;
  /** Creates and fills the tables; returns the connector's source settings and tables. */
  prepare(): Promise<{ readonly connector: Record<string, unknown> }>;
  /** Commits `n` (≤ 10,000) changes; `seed` (1..3,999) picks the rows; resolves when committed. */
  churn(n: number, seed: number): Promise<unknown>;
  /** Every row of `table` as comparable text lines, sorted (source side). */
  sourceRows(table: 'accounts' | 'ledger'): Promise<string[]>;
  /** The same lines read from the destination database `targetUrl`. */
  targetRows(targetUrl: string, table: 'accounts' | 'ledger'): Promise<string[]>;
  /** The destination PostgreSQL database (URL) the server runs on. */
  readonly targetUrl: string;
  /**
   * The offset the source holds as acknowledged once no session streams from it (PostgreSQL: the
   * slot's confirmed_flush_lsn); absent where nothing is acknowledged (MySQL).
   */
  acknowledged?(): Promise<string | null>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface View {
  state: { stage: string; state: string; error: string | null; offset: string | null };
  stats: { snapshotTables: number; snapshotRows: number; dmls: number };
}

/** Differences between two sorted line lists, at most 20 described. */
export function diffLines(expected: readonly string[], actual: readonly string[]): string[] {
  const want = new Map<string, number>();
  for (const line of expected) want.set(line, (want.get(line) ?? 0) + 1);
  const problems: string[] = [];
  for (const line of actual) {
    const left = want.get(line) ?? 0;
    if (left === 0) problems.push(`extra or changed: ${line}`);
    else want.set(line, left - 1);
  }
  for (const [line, left] of want) if (left > 0) problems.push(`missing: ${line} (${left}×)`);
  return problems.slice(0, 20);
}

const CONNECTOR = 'crash';
const CDC = 'CHANGE_DATA_CAPTURE';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A source workload of chunks of 1,000 changes, at most two chunks a second, until stopped. */
function startWorkload(source: CrashSource): { stop(): Promise<number> } {
  let stopped = false;
  let seed = 0;
  const loop = (async () => {
    while (!stopped && seed < 3_999) {
      const began = Date.now();
      await source.churn(1_000, ++seed);
      await sleep(500 - (Date.now() - began));
    }
  })();
  loop.catch(() => undefined); // surfaced by stop()
  return {
    async stop() {
      stopped = true;
      await loop;
      return seed * 1_000;
    },
  };
}

/** The real server process, killed and started again on one target database, with its probes. */
class CrashRun {
  server: ServerProcess | undefined;
  readonly kills: { phase: KillPhase; at: string; detail: string }[] = [];
  private readonly started = Date.now();
  private readonly key = generateKey();

  constructor(
    private readonly title: string,
    private readonly source: CrashSource,
    readonly target: pg.Client,
  ) {}

  log(what: string): void {
    console.log(`[${this.title} crash +${this.elapsed()}s] ${what}`);
  }

  elapsed(): string {
    return ((Date.now() - this.started) / 1000).toFixed(1);
  }

  async start(): Promise<void> {
    this.server = await startServerProcess({
      TRIBUTARY_DATABASE_URL: this.source.targetUrl,
      TRIBUTARY_SECRET_KEY: this.key,
    });
  }

  async kill(phase: KillPhase, detail: string): Promise<void> {
    await this.server?.stop('SIGKILL');
    this.server = undefined;
    this.kills.push({ phase, at: this.elapsed(), detail });
    this.log(`kill ${this.kills.length} (${phase}): ${detail}`);
  }

  async graphql(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    const result = await gql(this.server?.url ?? '', query, variables);
    expect(result.errors).toBeUndefined();
    return result.data;
  }

  async view(): Promise<View | undefined> {
    if (!this.server) return undefined;
    const result = await gql<{ connector: View }>(
      this.server.url,
      `{ connector(name: "${CONNECTOR}") { state { stage state error offset } stats { snapshotTables snapshotRows dmls } } }`,
    ).catch(() => undefined);
    const view = result?.data?.connector;
    if (view?.state.state === 'STOPPED' && view.state.error) {
      throw new Error(`connector stopped with: ${view.state.error}`);
    }
    return view;
  }

  async waitForView(what: string, accept: (view: View) => boolean, timeoutMs = 90_000): Promise<View> {
    return waitFor(
      what,
      async () => ((v) => (v && accept(v) ? v : undefined))(await this.view()),
      timeoutMs,
      10,
    );
  }

  async committedOffset(): Promise<string | null> {
    const { rows } = await this.target.query<{ offset: string | null }>(
      'SELECT "offset" FROM tributary.offsets WHERE connector = $1',
      [CONNECTOR],
    );
    return rows[0]?.offset ?? null;
  }

  async storedStage(): Promise<string | undefined> {
    const { rows } = await this.target.query<{ stage: string }>(
      'SELECT stage FROM tributary.connector_state WHERE connector = $1',
      [CONNECTOR],
    );
    return rows[0]?.stage;
  }

  async persistedSnapshotRows(): Promise<number> {
    const { rows } = await this.target.query<{ n: number }>(
      'SELECT snapshot_rows::float8 AS n FROM tributary.stats WHERE connector = $1',
      [CONNECTOR],
    );
    return rows[0]?.n ?? 0;
  }

  /** Waits for the moment `step` describes and kills the server there. */
  async killAt(step: KillStep): Promise<void> {
    if (step.phase === 'copy') return this.killInCopy(step.after);
    if (step.phase === 'switch') return this.killAtSwitch(step.after);
    const first = await this.waitForView('CDC after the restart', (view) => view.state.stage === CDC);
    if (step.phase === 'commit') return this.killAfterCommit(step.nth);
    await this.waitForView('changes streaming', (view) => view.stats.dmls > first.stats.dmls, 60_000);
    await sleep(step.after);
    return this.kill('stream', `${step.after} ms into streaming`);
  }

  /** Kills once `rows` rows of the table being copied are in (uncommitted); late, it counts as `stream`. */
  private async killInCopy(rows: number): Promise<void> {
    const seen = await waitFor(
      `${rows} rows into a table copy`,
      async () => {
        const view = await this.view();
        if (!view) return undefined;
        if (view.state.stage === CDC) return view;
        const copying = view.stats.snapshotRows - (await this.persistedSnapshotRows());
        return view.state.stage === 'INITIAL_SNAPSHOT' && copying >= rows ? view : undefined;
      },
      90_000,
      5,
    );
    if (seen.state.stage === CDC) return this.kill('stream', 'the copy had ended before the kill');
    return this.kill('copy', `copying, ${seen.stats.snapshotRows} rows in view`);
  }

  /** Kills `delayMs` after the stored stage turns to CDC (the last table's copy just committed). */
  private async killAtSwitch(delayMs: number): Promise<void> {
    await waitFor(
      'the switch to CDC',
      async () => {
        await this.view();
        return (await this.storedStage()) === 'change_data_capture' ? true : undefined;
      },
      120_000,
      2,
    );
    await sleep(delayMs);
    return this.kill('switch', `${delayMs} ms after the stage turned to CDC`);
  }

  /** Polls the committed offset back to back; kills the instant it has advanced `nth` times. */
  private async killAfterCommit(nth: number): Promise<void> {
    let last = await this.committedOffset();
    const deadline = Date.now() + 60_000;
    for (let advanced = 0; advanced < nth; ) {
      if (Date.now() > deadline) throw new Error('the committed offset did not advance within 60 s');
      const offset = await this.committedOffset();
      if (offset !== last) {
        advanced++;
        last = offset;
      }
    }
    await this.kill('commit', `at committed offset advance #${nth}, ${last}`);
    const acknowledged = await this.source.acknowledged?.();
    if (acknowledged !== undefined) {
      const before = acknowledged === null || (last !== null && acknowledged < last);
      this.log(
        `  source acknowledged ${acknowledged}: ${before ? 'killed before the ack' : 'ack already sent'}`,
      );
    }
  }
}

/**
 * Nothing lost, nothing doubled: the real server process is killed with SIGKILL eleven times at
 * seeded random moments — during the copy, at the switch to CDC, mid-stream and right after a
 * target commit — while the source keeps changing; after the restarts the destination equals the
 * source row by row. `CRASH_SEED=<seed>` replays a schedule.
 */
export function describeCrashRecovery(title: string, open: () => Promise<CrashSource>): void {
  const seed = crashSeed();
  describe(`crash recovery with ${title}`, () => {
    it(`ends identical to the source after eleven SIGKILLs at seeded random moments (CRASH_SEED=${seed})`, async () => {
      await using source = await open();
      const schedule = killSchedule(seed, source.accountRows);
      const target = new pg.Client({ connectionString: source.targetUrl });
      await target.connect();
      const run = new CrashRun(title, source, target);
      run.log(`CRASH_SEED=${seed}: ${describeSchedule(schedule)}`);
      try {
        await killAndRestart(run, source, schedule);
        await expectConverged(run, source);
        const final = await run.view();
        expect(final?.state).toMatchObject({ stage: CDC, state: 'POLLING', error: null });
        expectKillsSpread(run);
      } catch (error) {
        const kills = run.kills.map((kill) => `${kill.at}s ${kill.phase}: ${kill.detail}`).join('; ');
        if (error instanceof Error) {
          error.message = `[CRASH_SEED=${seed} replays; schedule ${describeSchedule(schedule)}; kills so far: ${kills}]\n${error.message}`;
        }
        throw error;
      } finally {
        await target.end();
        if (run.server) {
          await gql(run.server.url, `mutation { deleteConnector(name: "${CONNECTOR}", force: true) }`).catch(
            () => undefined,
          );
          await run.server.stop('SIGTERM');
        }
      }
    }, 330_000);
  });
}

/** Starts the connector under a running workload, then kills and restarts the server per `schedule`. */
async function killAndRestart(
  run: CrashRun,
  source: CrashSource,
  schedule: readonly KillStep[],
): Promise<void> {
  const { connector } = await source.prepare();
  await run.start();
  await run.graphql('mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }', {
    i: { name: CONNECTOR, ...connector },
  });
  const workload = startWorkload(source);
  try {
    await run.graphql(`mutation { startConnector(name: "${CONNECTOR}") { name } }`);
    for (const step of schedule) {
      await run.killAt(step);
      await run.start();
    }
  } catch (error) {
    await workload.stop().catch(() => undefined);
    throw error;
  }
  run.log(`workload stopped after ${await workload.stop()} changes`);
}

function expectKillsSpread(run: CrashRun): void {
  const count = (phase: KillPhase) => run.kills.filter((kill) => kill.phase === phase).length;
  run.log(
    `kills: copy ${count('copy')}, switch ${count('switch')}, stream ${count('stream')}, commit ${count('commit')}`,
  );
  expect(run.kills.length).toBeGreaterThanOrEqual(10);
  expect(count('copy'), 'kills during the copy').toBeGreaterThanOrEqual(2);
  expect(count('switch'), 'kills at the switch to CDC').toBe(1);
  expect(count('commit'), 'kills right after a target commit').toBe(3);
}

async function expectConverged(run: CrashRun, source: CrashSource): Promise<void> {
  for (const table of ['accounts', 'ledger'] as const) {
    const expected = await source.sourceRows(table);
    await waitFor(
      `${table} to converge`,
      async () => {
        await run.view();
        return diffLines(expected, await source.targetRows(source.targetUrl, table)).length === 0
          ? true
          : undefined;
      },
      120_000,
      500,
    ).catch(() => undefined);
    expect(
      diffLines(expected, await source.targetRows(source.targetUrl, table)),
      `${table} at the destination`,
    ).toEqual([]);
    run.log(`${table}: ${expected.length} rows identical`);
  }
}
