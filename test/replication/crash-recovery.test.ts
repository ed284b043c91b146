import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';
import { diffTables, digestTable } from './table-compare.js';

/**
 * Nothing lost, nothing doubled: the server process is killed with SIGKILL in the middle of the
 * snapshot and again in the middle of heavy CDC, while the source keeps changing; after restarts
 * the destination equals the source row by row.
 */
const ROWS = 300_000;
const KEY = generateKey();

let source: TestDatabase;
let target: TestDatabase;
let server: ServerProcess | undefined;

const SETUP = `
CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(14,2) NOT NULL, note text, touched timestamptz);
INSERT INTO accounts SELECT g, g * 1.25, repeat(md5(g::text), 3), '2026-01-01'::timestamptz + g * interval '1 second'
  FROM generate_series(1, ${ROWS}) g;
CREATE TABLE ledger (account bigint, amount numeric(14,2));
ALTER TABLE ledger REPLICA IDENTITY FULL;
CREATE PROCEDURE churn(n int, seed int) LANGUAGE plpgsql AS $$
DECLARE i int; k bigint;
BEGIN
  FOR i IN 1..n LOOP
    k := (i::bigint * 7919 + seed * 104729) % ${ROWS} + 1;
    CASE i % 5
      WHEN 0 THEN UPDATE accounts SET balance = balance + 1, note = 'u' || i, touched = now() WHERE id = k;
      WHEN 1 THEN INSERT INTO accounts VALUES (10000000 + seed * 1000000 + i, i, 'new', now()) ON CONFLICT (id) DO NOTHING;
      WHEN 2 THEN DELETE FROM accounts WHERE id = k;
      WHEN 3 THEN UPDATE accounts SET id = id + 50000000 WHERE id = k;
      ELSE INSERT INTO ledger VALUES (k, i);
    END CASE;
    IF i % 40 = 0 THEN COMMIT; END IF;
  END LOOP;
END $$;`;

interface View {
  state: { stage: string; state: string; error: string | null; offset: string | null };
  stats: { snapshotTables: number; snapshotRows: number; dmls: number };
}

async function view(): Promise<View | undefined> {
  if (!server) return undefined;
  const result = await gql<{ connector: View }>(
    server.url,
    '{ connector(name: "crash") { state { stage state error offset } stats { snapshotTables snapshotRows dmls } } }',
  ).catch(() => undefined);
  return result?.data?.connector;
}

const started = Date.now();
const step = (what: string) =>
  console.log(`[crash test +${((Date.now() - started) / 1000).toFixed(1)}s] ${what}`);

const start = async () => {
  server = await startServerProcess({ TRIBUTARY_DATABASE_URL: target.url, TRIBUTARY_SECRET_KEY: KEY });
  return server;
};

async function kill(): Promise<void> {
  await server?.stop('SIGKILL');
  server = undefined;
}

/** Runs a churn procedure on its own source connection; resolves when it has committed everything. */
function churn(n: number, seed: number): Promise<unknown> {
  return source.query(`CALL churn(${n}, ${seed})`);
}

beforeAll(async () => {
  source = await createTestDatabase(inject('sourceClusterUrl'), 'crashsrc');
  target = await createTestDatabase(inject('targetClusterUrl'), 'crashdst');
  await source.query(SETUP);
});

afterAll(async () => {
  if (server) {
    await gql(server.url, 'mutation { deleteConnector(name: "crash", force: true) }').catch(() => undefined);
    await server.stop('SIGTERM');
  }
  await source?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
});

describe('crash recovery with a PostgreSQL source', () => {
  it('ends identical to the source after SIGKILL mid-snapshot and mid-stream', async () => {
    const url = new URL(source.url);
    await start();
    const added = await gql(
      server?.url ?? '',
      `mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }`,
      {
        i: {
          name: 'crash',
          type: 'postgres',
          host: url.hostname,
          port: Number(url.port),
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
          database: source.name,
          schema: 'public',
          tables: ['public.accounts', 'public.ledger'],
        },
      },
    );
    expect(added.errors).toBeUndefined();

    const firstChurn = churn(6_000, 1);
    await gql(server?.url ?? '', 'mutation { startConnector(name: "crash") { name } }');
    const duringCopy = await waitFor(
      'rows being copied',
      async () => {
        const current = await view();
        if (current?.state.error) throw new Error(`connector failed: ${current.state.error}`);
        return current?.state.stage === 'INITIAL_SNAPSHOT' && current.stats.snapshotRows > 20_000
          ? current
          : undefined;
      },
      60_000,
      10,
    );
    await kill();
    step(`killed during the snapshot at ${duringCopy.stats.snapshotRows} rows`);
    expect(duringCopy.stats.snapshotTables).toBeLessThan(2);

    await start();
    await waitFor(
      'CDC after the restart',
      async () => ((await view())?.state.stage === 'CHANGE_DATA_CAPTURE' ? true : undefined),
      90_000,
    );
    step('streaming after the restart');
    await firstChurn;
    step('first churn committed');

    const secondChurn = churn(30_000, 2);
    const before = (await view())?.stats.dmls ?? 0;
    await waitFor(
      'changes streaming',
      async () => (((await view())?.stats.dmls ?? 0) > before + 2_000 ? true : undefined),
      60_000,
      10,
    );
    await kill();
    step(`killed while streaming at ${before} + changes`);
    await start();
    await secondChurn;
    step('second churn committed');

    for (const table of ['accounts', 'ledger']) {
      const expected = await digestTable(source, `public.${table}`);
      await waitFor(
        `${table} to converge`,
        async () => {
          const actual = await digestTable(target, `"${source.name}".${table}`);
          return actual.digest === expected.digest ? true : undefined;
        },
        90_000,
        250,
      ).catch(() => undefined);
      expect(await digestTable(target, `"${source.name}".${table}`)).toEqual(expected);
    }
    expect(await diffTables(source, 'public.accounts', target, `"${source.name}".accounts`)).toEqual([]);
    const final = await view();
    expect(final?.state).toMatchObject({ stage: 'CHANGE_DATA_CAPTURE', state: 'POLLING', error: null });
  }, 300_000);
});
