import type mysql from 'mysql2/promise';
import { describe, expect, inject, it } from 'vitest';
import {
  createMysqlDatabase,
  type MysqlDatabase,
  mysqlConfig,
} from '../plugins/mysql/mysql-contract-source.js';
import { dropReplicationSlots, postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';
import { diffLines } from './crash-scenario.js';

const TABLES = {
  items: {
    keyed: 'CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL, note text)',
    lines: 'id, v, note',
  },
  log: { keyed: 'CREATE TABLE log (n int, tag text)', lines: 'n, tag' },
} as const;
type Table = keyof typeof TABLES;
const FIRST_ROWS = 200;

/** One source database of its own, with `items` (keyed) and `log` (keyless). */
interface Source extends AsyncDisposable {
  readonly connector: string;
  readonly database: string;
  readonly config: Record<string, unknown>;
  /** Runs statements in one source transaction. */
  transaction(statements: readonly string[]): Promise<void>;
  lines(table: Table): Promise<string[]>;
  /** PostgreSQL: the replication slots and publications the source holds. */
  capture?(): Promise<{ slots: number; publications: number }>;
}

const fill = (upTo: number) => [
  `INSERT INTO items (id, v, note) VALUES ${Array.from({ length: upTo }, (_, i) => `(${i + 1}, ${i}, 'first')`).join(', ')}`,
  `INSERT INTO log (n, tag) VALUES (0, 'first'), (0, 'first')`,
];

async function postgresSource(connector: string): Promise<Source> {
  const db: TestDatabase = await createTestDatabase(inject('sourceClusterUrl'), 'many');
  await db.query(`${TABLES.items.keyed}; ${TABLES.log.keyed}; ALTER TABLE log REPLICA IDENTITY FULL`);
  const source: Source = {
    connector,
    database: db.name,
    config: { type: 'postgres', ...postgresConfig(db), tables: ['public.items', 'public.log'] },
    transaction: async (statements) => void (await db.query(`BEGIN; ${statements.join('; ')}; COMMIT`)),
    lines: async (table) =>
      (
        await db.query<{ line: string }>(
          `SELECT concat_ws('|', ${TABLES[table].lines}) AS line FROM ${table}`,
        )
      ).rows
        .map((row) => row.line)
        .sort(),
    async capture() {
      const { rows } = await db.query<{ slots: number; publications: number }>(
        `SELECT (SELECT count(*)::int FROM pg_replication_slots WHERE database = current_database()) AS slots,
                (SELECT count(*)::int FROM pg_publication) AS publications`,
      );
      return rows[0] ?? { slots: -1, publications: -1 };
    },
    async [Symbol.asyncDispose]() {
      await dropReplicationSlots(db);
      await db[Symbol.asyncDispose]();
    },
  };
  await source.transaction(fill(FIRST_ROWS));
  return source;
}

async function mysqlSource(connector: string): Promise<Source> {
  const db: MysqlDatabase = await createMysqlDatabase('many');
  await db.query(TABLES.items.keyed);
  await db.query(TABLES.log.keyed);
  let session: mysql.Connection | undefined;
  const source: Source = {
    connector,
    database: db.name,
    config: { type: 'mysql', ...mysqlConfig(db), tables: [`${db.name}.items`, `${db.name}.log`] },
    async transaction(statements) {
      session ??= await db.session();
      await session.beginTransaction();
      for (const statement of statements) await session.query(statement);
      await session.commit();
    },
    lines: async (table) =>
      (
        await db.query<{ line: string }>(
          `SELECT CONCAT_WS('|', ${TABLES[table].lines}) AS line FROM ${table}`,
        )
      )
        .map((row) => row.line)
        .sort(),
    async [Symbol.asyncDispose]() {
      await session?.end();
      await db[Symbol.asyncDispose]();
    },
  };
  await source.transaction(fill(FIRST_ROWS));
  return source;
}

/** A steady stream of small transactions (insert, update, delete, keyless insert) until stopped. */
function startWorkload(source: Source): { stop(): Promise<number> } {
  let stopped = false;
  let i = FIRST_ROWS;
  const loop = (async () => {
    while (!stopped) {
      i++;
      const statements = [
        `INSERT INTO items (id, v, note) VALUES (${i}, ${i}, 'w${i}')`,
        `UPDATE items SET v = v + 1, note = 'u${i}' WHERE id = ${i - 3}`,
        `INSERT INTO log (n, tag) VALUES (${i}, 'w')`,
      ];
      if (i % 3 === 0) statements.push(`DELETE FROM items WHERE id = ${i - 150}`);
      if (i % 7 === 0) statements.push(`UPDATE items SET id = ${i + 1_000_000} WHERE id = ${i - 100}`);
      await source.transaction(statements);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  loop.catch(() => undefined); // surfaced by stop()
  return {
    async stop() {
      stopped = true;
      await loop;
      return i - FIRST_ROWS;
    },
  };
}

interface View {
  name: string;
  active: boolean;
  state: { stage: string; state: string; error: string | null };
  stats: { dmls: number; badEvents: number };
}

class Server {
  constructor(readonly server: TestServer) {}

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await gql<T>(this.server.url, query, variables);
    if (result.errors?.length) throw new Error(`${query}: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  lifecycle(mutation: string, name: string): Promise<unknown> {
    return this.graphql(`mutation ($n: String!) { ${mutation}(name: $n) { name } }`, { n: name });
  }

  async views(): Promise<Map<string, View>> {
    const { connectors } = await this.graphql<{ connectors: View[] }>(
      '{ connectors { name active state { stage state error } stats { dmls badEvents } } }',
    );
    return new Map(connectors.map((view) => [view.name, view]));
  }

  /** Waits until every named connector streams (CDC / POLLING), failing on the first error. */
  async waitStreaming(names: readonly string[]): Promise<Map<string, View>> {
    return waitFor(
      `${names.join(', ')} streaming`,
      async () => {
        const views = await this.views();
        for (const name of names) {
          const view = views.get(name);
          if (view?.state.error) throw new Error(`${name}: ${view.state.error}`);
          if (view?.state.stage !== 'CHANGE_DATA_CAPTURE' || view.state.state !== 'POLLING') return undefined;
        }
        return views;
      },
      90_000,
      200,
    );
  }
}

async function destinationLines(target: TestDatabase, source: Source, table: Table): Promise<string[]> {
  const { rows } = await target.query<{ line: string }>(
    `SELECT concat_ws('|', ${TABLES[table].lines}) AS line FROM "${source.database}"."${table}"`,
  );
  return rows.map((row) => row.line).sort();
}

/** Waits until both tables of `source` equal the source row by row, then asserts it. */
async function expectReplicated(target: TestDatabase, source: Source): Promise<void> {
  for (const table of ['items', 'log'] as const) {
    const expected = await source.lines(table);
    const differences = async () =>
      diffLines(expected, await destinationLines(target, source, table).catch(() => []));
    await waitFor(
      `${source.connector} ${table}`,
      async () => ((await differences()).length === 0 ? true : undefined),
      60_000,
      250,
    ).catch(() => undefined);
    expect(await differences(), `${source.connector}: ${table}`).toEqual([]);
  }
}

/** While the source keeps changing: the destination reaches the source's latest change. */
async function expectCaughtUp(target: TestDatabase, source: Source): Promise<void> {
  const latest = Math.max(...(await source.lines('log')).map((line) => Number(line.split('|')[0])));
  await waitFor(
    `${source.connector} to reach change ${latest}`,
    async () => {
      const { rows } = await target.query<{ n: number }>(`SELECT max(n) AS n FROM "${source.database}".log`);
      return (rows[0]?.n ?? 0) >= latest ? true : undefined;
    },
    30_000,
    100,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples the connectors' states until stopped; returns every sample that was not CDC / POLLING. */
function watchStreaming(api: Server, names: readonly string[]): { stop(): Promise<string[]> } {
  let stopped = false;
  const off: string[] = [];
  const loop = (async () => {
    while (!stopped) {
      const views = await api.views();
      for (const name of names) {
        const view = views.get(name);
        if (view?.state.stage !== 'CHANGE_DATA_CAPTURE' || view.state.state !== 'POLLING' || view.state.error)
          off.push(`${name}: ${JSON.stringify(view?.state)}`);
      }
      await sleep(100);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return off;
    },
  };
}

/** Stops every workload, then rethrows the first failure of one. */
async function stopAll(workloads: readonly { stop(): Promise<number> }[]): Promise<void> {
  const results = await Promise.allSettled(workloads.map((workload) => workload.stop()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

async function addAndStart(api: Server, sources: readonly Source[]): Promise<void> {
  for (const source of sources) {
    await api.graphql('mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }', {
      i: { name: source.connector, ...source.config },
    });
    await api.lifecycle('startConnector', source.connector);
  }
  await api.waitStreaming(sources.map((source) => source.connector));
}

const GROUPS = {
  untouched: ['pg0', 'my0', 'pg4', 'my4'],
  stopped: ['pg1', 'my1'],
  paused: ['pg2', 'my2'],
  deleted: ['pg3', 'my3'],
} as const;
const RUNNING = [...GROUPS.untouched, ...GROUPS.stopped, ...GROUPS.paused];

describe('ten connectors on one server', () => {
  it('stopping, pausing and deleting some leaves the others replicating untouched', async () => {
    await using target = await createTestDatabase(inject('targetClusterUrl'), 'many');
    const sources: Source[] = [];
    await using _sources = {
      async [Symbol.asyncDispose]() {
        for (const source of sources)
          await Promise.resolve(source[Symbol.asyncDispose]()).catch(() => undefined);
      },
    };
    for (let i = 0; i < 5; i++) sources.push(await postgresSource(`pg${i}`), await mysqlSource(`my${i}`));
    await using server = await startTestServer(target.url);
    const api = new Server(server);
    const source = (name: string) => sources.find((s) => s.connector === name) as Source;
    await addAndStart(api, sources);

    const workloads = sources.map(startWorkload);
    const held = new Map<string, string[]>();
    try {
      await sleep(2_000);
      const watch = watchStreaming(api, GROUPS.untouched);
      const before = await api.views();
      for (const name of GROUPS.stopped) await api.lifecycle('stopConnector', name);
      for (const name of GROUPS.paused) await api.lifecycle('pauseConnector', name);
      for (const name of GROUPS.deleted)
        await api.graphql('mutation ($n: String!) { deleteConnector(name: $n) }', { n: name });
      for (const name of [...GROUPS.stopped, ...GROUPS.paused, ...GROUPS.deleted])
        held.set(name, await destinationLines(target, source(name), 'items'));
      await sleep(4_000);
      for (const name of GROUPS.untouched) await expectCaughtUp(target, source(name));
      expect(await watch.stop(), 'the untouched connectors never left CDC / POLLING').toEqual([]);
      await expectHeld(api, target, source, held, before);

      for (const name of GROUPS.stopped) await api.lifecycle('startConnector', name);
      for (const name of GROUPS.paused) await api.lifecycle('resumeConnector', name);
      await sleep(2_000);
    } finally {
      await stopAll(workloads);
    }
    for (const name of RUNNING) await expectReplicated(target, source(name));
    await expectAllStreaming(api);
    for (const name of GROUPS.deleted) {
      expect(await destinationLines(target, source(name), 'items'), `${name} keeps its rows`).toEqual(
        held.get(name),
      );
      const capture = await source(name).capture?.();
      if (capture) expect(capture, `${name} leaves no capture`).toEqual({ slots: 0, publications: 0 });
    }
    for (const name of RUNNING.filter((n) => n.startsWith('pg'))) {
      expect(await source(name).capture?.(), `${name} keeps its own capture`).toEqual({
        slots: 1,
        publications: 1,
      });
    }
    const { rows } = await target.query<{ name: string }>(
      'SELECT name FROM tributary.connectors ORDER BY name',
    );
    expect(rows.map((row) => row.name)).toEqual([...RUNNING].sort());
  }, 240_000);
});

/** While held, stopped and paused connectors apply nothing, and the deleted ones are gone. */
async function expectHeld(
  api: Server,
  target: TestDatabase,
  source: (name: string) => Source,
  held: ReadonlyMap<string, string[]>,
  before: ReadonlyMap<string, View>,
): Promise<void> {
  const during = await api.views();
  for (const name of GROUPS.untouched) {
    expect(during.get(name)?.stats.dmls, `${name} kept streaming`).toBeGreaterThan(
      before.get(name)?.stats.dmls ?? 0,
    );
  }
  for (const name of GROUPS.stopped)
    expect(during.get(name)).toMatchObject({ active: false, state: { state: 'STOPPED', error: null } });
  for (const name of GROUPS.paused)
    expect(during.get(name)).toMatchObject({ state: { state: 'PAUSED', error: null } });
  for (const name of GROUPS.deleted) expect(during.has(name), `${name} deleted`).toBe(false);
  for (const name of [...GROUPS.stopped, ...GROUPS.paused]) {
    expect(
      await destinationLines(target, source(name), 'items'),
      `${name} applies nothing while held`,
    ).toEqual(held.get(name));
  }
}

async function expectAllStreaming(api: Server): Promise<void> {
  const final = await api.waitStreaming(RUNNING);
  for (const name of RUNNING) {
    expect(final.get(name), name).toMatchObject({
      active: true,
      state: { stage: 'CHANGE_DATA_CAPTURE', state: 'POLLING', error: null },
    });
    expect(final.get(name)?.stats.badEvents, name).toBe(0);
  }
}
