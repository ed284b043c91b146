import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { expect } from 'vitest';
import type { SourcePlugin, TableRef } from '../../core/plugin/index.js';
import type { ContractSource } from '../contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { diffLines } from './crash-scenario.js';
import { type ConnectorView, EngineHarness } from './engine-harness.js';

/**
 * The source side of a fault scenario: a fresh database on a real server holding
 * `items (id integer primary key, name text, amount integer)`, always reached with new sessions
 * (a session of the test's own would die with the server). The SQL given is portable.
 */
export interface FaultSource extends AsyncDisposable {
  readonly plugin: SourcePlugin;
  /** `items` as the plugin's discover() names it. */
  readonly table: TableRef;
  /** Connector settings reaching the source at `host:port` (the real server or a proxy before it). */
  config(host: string, port: number): Record<string, unknown>;
  /** Runs the statements as one transaction on a new session. */
  transaction(statements: readonly string[]): Promise<void>;
  /** Every row of `items` as `id|name|amount`, sorted. */
  rows(): Promise<string[]>;
}

export interface FaultScenario {
  /** Connector name and log label. */
  readonly name: string;
  /** Whose fault: a source fault shows in `state.error` while it lasts; a target fault cannot (the state lives there). */
  readonly side: 'source' | 'target';
  readonly source: () => Promise<FaultSource>;
  /** Where the connector reaches the source: the real server, or a proxy in front of it. */
  readonly sourceAt: { readonly host: string; readonly port: number };
  /** The PostgreSQL cluster holding the target database. */
  readonly targetCluster: string;
  /** How the server reaches the target database (e.g. through a proxy). */
  readonly serverUrl?: (targetUrl: string) => string;
  /** Connector options added to the source's (e.g. a short `stallTimeoutMs`). */
  readonly sourceOptions?: Record<string, unknown>;
  readonly inject: () => Promise<void>;
  readonly heal: () => Promise<void>;
  /** How long the fault lasts once the connector has noticed it. Default 3 s. */
  readonly outageMs?: number;
  /**
   * Whether the connector must notice the fault (default); false for a short stall, which it
   * cannot tell from a slow peer and must simply ride out.
   */
  readonly noticed?: boolean;
  /** What the first error the connector shows must say (source faults). */
  readonly expectError?: RegExp;
}

export interface FaultTimings {
  /** From the fault to the connector showing (source) or logging (target) the failure. */
  readonly detectedMs: number;
  /** From the heal to the connector streaming again with no error. */
  readonly recoveredMs: number;
  /** From the end of the workload to the destination equal to the source. */
  readonly convergedMs: number;
  readonly committed: number;
  readonly failed: number;
}

/** Rows formatted as the sources format them. */
export function itemLines(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((row) => `${row.id}|${row.name ?? '∅'}|${row.amount ?? '∅'}`).sort();
}

/**
 * A steady stream of small source transactions (inserts of new keys, updates and deletes of
 * earlier ones), retrying after failures while the source is down. Keys never collide, so no
 * statement fails on the data whatever committed before a failure.
 */
class Workload {
  committed = 0;
  failed = 0;
  private stopped = false;
  private seed = 7;
  readonly done: Promise<void>;

  constructor(
    private readonly source: FaultSource,
    private nextId: number,
  ) {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  private statement(): string {
    const roll = this.random();
    const old = 1 + Math.floor(this.random() * (this.nextId - 1));
    if (roll < 0.5) {
      const id = this.nextId++;
      return `INSERT INTO items (id, name, amount) VALUES (${id}, 'n${id}', ${id % 97})`;
    }
    if (roll < 0.85)
      return `UPDATE items SET amount = amount + 1, name = 'u${this.committed}' WHERE id = ${old}`;
    return `DELETE FROM items WHERE id = ${old}`;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const statements = Array.from({ length: 1 + Math.floor(this.random() * 5) }, () => this.statement());
      try {
        await this.source.transaction(statements);
        this.committed++;
        await sleep(5);
      } catch {
        this.failed++;
        await sleep(200);
      }
    }
  }
}

/** The destination's rows of `items`, read on a new session straight from the target server. */
async function targetLines(h: EngineHarness, table: TableRef): Promise<string[]> {
  const client = new pg.Client({ connectionString: h.target.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return itemLines((await client.query(`SELECT id, name, amount FROM ${h.destination(table)}`)).rows);
  } finally {
    await client.end();
  }
}

/**
 * Waits until the connector notices the fault — in its state for a source fault, in its log for a
 * target fault — checks it keeps retrying through the outage, and returns how long noticing took.
 */
async function awaitFailure(
  h: EngineHarness,
  scenario: FaultScenario,
  faultAt: number,
  step: (what: string) => void,
): Promise<number> {
  const failures = () => h.server.logs.filter((line) => line.includes('"connector failed"'));
  const detected =
    scenario.side === 'source'
      ? await waitFor(
          'the connector to show the failure',
          async () => {
            const view = notStopped(await h.view(scenario.name));
            return view.state.error ? view.state.error : undefined;
          },
          30_000,
        )
      : await waitFor('the connector to log the failure', () => failures()[0], 30_000);
  const detectedMs = Date.now() - faultAt;
  step(`failure noticed after ${detectedMs} ms: ${detected.slice(0, 200)}`);
  if (scenario.expectError) expect(detected).toMatch(scenario.expectError);
  await sleep(scenario.outageMs ?? 3_000);
  if (scenario.side === 'source') {
    const during = notStopped(await h.view(scenario.name));
    expect(during.state).toMatchObject({ state: 'RESTARTING' });
    expect(during.state.error).toBeTruthy();
  }
  expect(failures().every((line) => line.includes('"transient":true'))).toBe(true);
  return detectedMs;
}

/** Fails at once if the connector stopped: under any strategy a connectivity fault must not stop it. */
function notStopped(view: ConnectorView): ConnectorView {
  if (view.state.state === 'STOPPED') throw new Error(`the connector stopped: ${view.state.error}`);
  return view;
}

/**
 * Streams under a steady workload with the default error strategy (EXIT), injects the fault,
 * checks the connector notices it and keeps retrying, heals it, and checks the connector recovers
 * by itself and the destination ends equal to the source row by row.
 */
export async function runFaultScenario(scenario: FaultScenario): Promise<FaultTimings> {
  const started = Date.now();
  const step = (what: string) =>
    console.log(`[${scenario.name} +${((Date.now() - started) / 1000).toFixed(1)}s] ${what}`);
  let source: FaultSource | undefined;
  const setup = async () => {
    source = await scenario.source();
    const config = source.config(scenario.sourceAt.host, scenario.sourceAt.port);
    config.options = { ...(config.options as object), ...scenario.sourceOptions };
    return { plugin: source.plugin, config, source: source as unknown as ContractSource };
  };
  await using h = await EngineHarness.open(scenario.targetCluster, setup, scenario.serverUrl);
  if (!source) throw new Error('no source');
  const { table } = source;
  await source.transaction(
    Array.from({ length: 10 }, (_, i) => {
      const values = Array.from({ length: 20 }, (_, j) => `(${i * 20 + j + 1}, 'first', ${j})`);
      return `INSERT INTO items (id, name, amount) VALUES ${values.join(', ')}`;
    }),
  );
  await h.addConnector(scenario.name, { tables: [table] });
  await h.lifecycle('startConnector', scenario.name);
  await h.waitForState(scenario.name, 'CHANGE_DATA_CAPTURE', 'POLLING', 60_000);
  step('streaming');

  const workload = new Workload(source, 201);
  let detectedMs = 0;
  let recoveredMs = 0;
  try {
    await sleep(1_500);
    const streams = () => h.server.logs.filter((line) => line.includes('"streaming changes"')).length;
    const streamsBefore = streams();
    const faultAt = Date.now();
    await scenario.inject();
    step('fault injected');
    if (scenario.noticed ?? true) {
      detectedMs = await awaitFailure(h, scenario, faultAt, step);
    } else {
      // no look at the state: the API may be waiting on the stalled target too
      await sleep(scenario.outageMs ?? 3_000);
    }

    const healedAt = Date.now();
    await scenario.heal();
    step('fault healed');
    await waitFor(
      'the connector to stream again with no error',
      async () => {
        const view = notStopped(await h.view(scenario.name));
        const streaming =
          view.state.stage === 'CHANGE_DATA_CAPTURE' && view.state.state === 'POLLING' && !view.state.error;
        // the job's state cannot be written while the target is away: look for a new stream too
        return streaming && (streams() > streamsBefore || scenario.noticed === false) ? view : undefined;
      },
      60_000,
      100,
    );
    recoveredMs = Date.now() - healedAt;
    step(`streaming again ${recoveredMs} ms after the heal`);
    await sleep(1_000);
  } finally {
    await workload.stop();
  }
  const stoppedAt = Date.now();
  step(`workload stopped: ${workload.committed} transactions committed, ${workload.failed} failed`);
  const expected = await source.rows();
  await waitFor(
    'the destination to equal the source',
    async () => (diffLines(expected, await targetLines(h, table)).length === 0 ? true : undefined),
    60_000,
    250,
  ).catch(() => undefined);
  expect(diffLines(expected, await targetLines(h, table))).toEqual([]);
  const convergedMs = Date.now() - stoppedAt;
  step(`destination equal to the source (${expected.length} rows) ${convergedMs} ms after the workload`);
  const final = await h.view(scenario.name);
  expect(final.state).toMatchObject({ stage: 'CHANGE_DATA_CAPTURE', state: 'POLLING', error: null });
  return {
    detectedMs,
    recoveredMs,
    convergedMs,
    committed: workload.committed,
    failed: workload.failed,
  };
}
