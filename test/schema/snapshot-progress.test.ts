import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlDatabase, mysqlConfig } from '../plugins/mysql/mysql-contract-source.js';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';

/** Big enough for the copy to take a few seconds, small enough to stay well under ten. */
const BIG_ROWS = 600_000;
const MYSQL_BIG_ROWS = 800_000;
const SMALL_ROWS = 10;

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

async function addConnector(name: string, settings: Record<string, unknown>, tables: string[]) {
  const added = await gql(
    harness.server.url,
    'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
    { i: { name, ...settings, tables } },
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

/**
 * Starts `connector` (tables `big` then `small`, analysed) while watching connectorStats, and checks
 * the copy is seen growing, with its estimate and per-table progress, as the query sees it.
 */
async function expectLiveProgress(connector: string, big: string, small: string, bigRows: number) {
  const total = bigRows + SMALL_ROWS;
  const client = wsClient(harness.server.url);
  try {
    await using feed = subscribe<{ connectorStats: Stats }>(
      client,
      `subscription { connectorStats(name: "${connector}", intervalMs: 100) { ${STATS_FIELDS} } }`,
    );
    const [first] = await feed.take(1);
    expect(first?.data?.connectorStats.snapshotRows).toBe(0);
    await lifecycle('startConnector', connector);

    const seen: Stats[] = [];
    let queried: Stats | undefined;
    for (let events = 0; events < 1_000; events++) {
      const [next] = await feed.take(1);
      expect(next?.errors).toBeUndefined();
      const stats = next?.data?.connectorStats as Stats;
      seen.push(stats);
      if (!queried && stats.snapshotRows > 0 && stats.snapshotRows < bigRows) {
        // payloads produced while the query runs may still be queued: only this one is surely older
        queried = await queryStats(connector);
        expect(queried.snapshotRows).toBeGreaterThanOrEqual(stats.snapshotRows);
        expect(queried.snapshotRows).toBeLessThanOrEqual(total);
      }
      if (stats.snapshotEndTs !== null && !stats.snapshotProgress.running) break;
    }

    const rows = seen.map((stats) => stats.snapshotRows);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    const copying = seen.filter((stats) => stats.snapshotRows > 0 && stats.snapshotRows < bigRows);
    expect(new Set(copying.map((stats) => stats.snapshotRows)).size).toBeGreaterThan(1);
    for (const { snapshotProgress: progress } of copying) {
      expect(progress).toMatchObject({ running: true, table: big });
      expect(progress.rowsEstimated).toBeGreaterThan(bigRows * 0.5);
      expect(progress.rowsEstimated).toBeLessThan(bigRows * 1.5);
      const [bigTable, smallTable] = progress.tables;
      expect(bigTable).toMatchObject({ table: big, status: 'COPYING' });
      expect(bigTable?.rowsCopied).toBeGreaterThan(0);
      expect(smallTable).toMatchObject({ table: small, status: 'PENDING', rowsCopied: 0 });
      expect(smallTable?.rowsEstimated).toBeGreaterThanOrEqual(0);
      const bigSize = Math.max(bigTable?.rowsEstimated ?? 0, bigTable?.rowsCopied ?? 0);
      expect(progress.rowsEstimated).toBe(bigSize + (smallTable?.rowsEstimated ?? Number.NaN));
      if (progress.rowsPerSecond !== null) expect(progress.rowsPerSecond).toBeGreaterThan(0);
      if (progress.etaSeconds !== null) expect(progress.etaSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(queried?.snapshotProgress).toMatchObject({ running: true, table: big });

    const last = seen.at(-1) as Stats;
    expect(last.snapshotRows).toBe(total);
    expect(last.snapshotProgress).toMatchObject({
      running: false,
      table: null,
      rowsCopied: total,
      rowsEstimated: total,
      rowsPerSecond: null,
      etaSeconds: null,
      tables: [
        { table: big, status: 'DONE', rowsCopied: bigRows },
        { table: small, status: 'DONE', rowsCopied: SMALL_ROWS },
      ],
    });
    expect(settled(await queryStats(connector))).toEqual(settled(last));
  } finally {
    await client.dispose();
    await lifecycle('stopConnector', connector);
  }
}

describe('live snapshot progress over GraphQL', () => {
  it('shows a PostgreSQL copy growing in connectorStats, with the estimate and per-table progress, as the query does', async () => {
    await addConnector('progress', { type: 'postgres', ...postgresConfig(source), schema: 'public' }, [
      'public.big',
      'public.small',
    ]);
    await expectLiveProgress('progress', 'public.big', 'public.small', BIG_ROWS);
  }, 60_000);

  it('shows a MySQL copy growing in connectorStats, with the estimate and per-table progress, as the query does', async () => {
    await using mysqlSource = await createMysqlDatabase('progress');
    await mysqlSource.query('CREATE TABLE big (id bigint PRIMARY KEY, note text)');
    await mysqlSource.query(
      `INSERT INTO big SELECT seq, repeat(md5(seq), 4) FROM seq_1_to_${MYSQL_BIG_ROWS}`,
    );
    await mysqlSource.query('CREATE TABLE small (id int PRIMARY KEY)');
    await mysqlSource.query(`INSERT INTO small SELECT seq FROM seq_1_to_${SMALL_ROWS}`);
    await mysqlSource.query('ANALYZE TABLE big, small');
    const db = mysqlSource.name;
    await addConnector('mysql_progress', { type: 'mysql', ...mysqlConfig(mysqlSource) }, [
      `${db}.big`,
      `${db}.small`,
    ]);
    await expectLiveProgress('mysql_progress', `${db}.big`, `${db}.small`, MYSQL_BIG_ROWS);
  }, 60_000);
});
