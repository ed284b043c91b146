import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';

/** Big enough for the copy to take a few seconds, small enough to stay well under ten. */
const BIG_ROWS = 300_000;
const SMALL_ROWS = 10;
const TOTAL = BIG_ROWS + SMALL_ROWS;

const harness = useFileServer(inject('targetClusterUrl'));
let source: TestDatabase;

beforeAll(async () => {
  source = await createTestDatabase(inject('sourceClusterUrl'), 'progress');
  await source.query('CREATE TABLE big (id bigint PRIMARY KEY, note text)');
  await source.query(
    `INSERT INTO big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, ${BIG_ROWS}) g`,
  );
  await source.query('CREATE TABLE small (id int PRIMARY KEY)');
  await source.query(`INSERT INTO small SELECT generate_series(1, ${SMALL_ROWS})`);
  await source.query('ANALYZE big, small');
}, 60_000);

afterAll(async () => {
  await source?.[Symbol.asyncDispose]();
});

interface TableProgress {
  table: string;
  status: string;
  rowsCopied: number;
  rowsEstimated: number | null;
}

interface Stats {
  snapshotRows: number;
  snapshotEndTs: string | null;
  snapshotProgress: {
    running: boolean;
    table: string | null;
    rowsCopied: number;
    rowsEstimated: number | null;
    rowsPerSecond: number | null;
    etaSeconds: number | null;
    tables: TableProgress[];
  };
}

const STATS_FIELDS = `snapshotRows snapshotEndTs snapshotProgress {
  running table rowsCopied rowsEstimated rowsPerSecond etaSeconds
  tables { table status rowsCopied rowsEstimated } }`;

async function addPostgresConnector(name: string, tables: string[]): Promise<void> {
  const added = await gql(
    harness.server.url,
    'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
    { i: { name, type: 'postgres', ...postgresConfig(source), schema: 'public', tables } },
  );
  expect(added.errors).toBeUndefined();
}

async function lifecycle(mutation: string, name: string): Promise<void> {
  const result = await gql(harness.server.url, `mutation { ${mutation}(name: "${name}") { name } }`);
  expect(result.errors).toBeUndefined();
}

async function queryStats(name: string): Promise<Stats> {
  const result = await gql<{ connector: { stats: Stats } }>(
    harness.server.url,
    `{ connector(name: "${name}") { stats { ${STATS_FIELDS} } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data?.connector.stats as Stats;
}

/** Leaves out what depends on the moment of reading (the rate and what follows from it). */
function settled(stats: Stats) {
  const { rowsPerSecond: _rate, etaSeconds: _eta, ...progress } = stats.snapshotProgress;
  return { ...stats, snapshotProgress: progress };
}

describe('live snapshot progress over GraphQL', () => {
  it('shows the copy growing in connectorStats, with the estimate and per-table progress, as the query does', async () => {
    await addPostgresConnector('progress', ['public.big', 'public.small']);
    const client = wsClient(harness.server.url);
    try {
      await using feed = subscribe<{ connectorStats: Stats }>(
        client,
        `subscription { connectorStats(name: "progress", intervalMs: 100) { ${STATS_FIELDS} } }`,
      );
      const [first] = await feed.take(1);
      expect(first?.data?.connectorStats.snapshotRows).toBe(0);
      await lifecycle('startConnector', 'progress');

      const seen: Stats[] = [];
      let queried: Stats | undefined;
      for (let events = 0; events < 1_000; events++) {
        const [next] = await feed.take(1);
        expect(next?.errors).toBeUndefined();
        const stats = next?.data?.connectorStats as Stats;
        if (queried) expect(stats.snapshotRows).toBeGreaterThanOrEqual(queried.snapshotRows);
        seen.push(stats);
        if (!queried && stats.snapshotRows > 0 && stats.snapshotRows < BIG_ROWS) {
          queried = await queryStats('progress');
          expect(queried.snapshotRows).toBeGreaterThanOrEqual(stats.snapshotRows);
        }
        if (stats.snapshotEndTs !== null && stats.snapshotRows === TOTAL) break;
      }

      const rows = seen.map((stats) => stats.snapshotRows);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
      const copying = seen.filter((stats) => stats.snapshotRows > 0 && stats.snapshotRows < BIG_ROWS);
      expect(new Set(copying.map((stats) => stats.snapshotRows)).size).toBeGreaterThan(1);
      for (const { snapshotProgress: progress } of copying) {
        expect(progress).toMatchObject({ running: true, table: 'public.big' });
        expect(progress.rowsEstimated).toBeGreaterThan(BIG_ROWS * 0.8);
        expect(progress.rowsEstimated).toBeLessThan(BIG_ROWS * 1.2);
        const [big, small] = progress.tables;
        expect(big).toMatchObject({ table: 'public.big', status: 'COPYING' });
        expect(big?.rowsCopied).toBeGreaterThan(0);
        expect(small).toEqual({
          table: 'public.small',
          status: 'PENDING',
          rowsCopied: 0,
          rowsEstimated: SMALL_ROWS,
        });
        const bigSize = Math.max(big?.rowsEstimated ?? 0, big?.rowsCopied ?? 0);
        expect(progress.rowsEstimated).toBe(bigSize + SMALL_ROWS);
        if (progress.rowsPerSecond !== null) expect(progress.rowsPerSecond).toBeGreaterThan(0);
        if (progress.etaSeconds !== null) expect(progress.etaSeconds).toBeGreaterThanOrEqual(0);
      }
      expect(queried?.snapshotProgress).toMatchObject({ running: true, table: 'public.big' });

      const last = seen.at(-1) as Stats;
      expect(last.snapshotRows).toBe(TOTAL);
      expect(last.snapshotProgress).toMatchObject({
        running: false,
        table: null,
        rowsCopied: TOTAL,
        rowsEstimated: TOTAL,
        rowsPerSecond: null,
        etaSeconds: null,
        tables: [
          { table: 'public.big', status: 'DONE', rowsCopied: BIG_ROWS },
          { table: 'public.small', status: 'DONE', rowsCopied: SMALL_ROWS },
        ],
      });
      expect(settled(await queryStats('progress'))).toEqual(settled(last));
    } finally {
      await client.dispose();
      await lifecycle('stopConnector', 'progress');
    }
  }, 60_000);
});
