import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

/** Enough for the copy to take a few seconds, so scrapes land inside it. */
const ROWS = 1_000_000;
const TOKEN = 'metrics-token-5c2e91';
const CONNECTOR = 'scraped';

const harness = useFileServer(inject('targetClusterUrl'), { TRIBUTARY_API_TOKEN: TOKEN });
let source: TestDatabase;

beforeAll(async () => {
  source = await createTestDatabase(inject('sourceClusterUrl'), 'metrics');
  await source.query('CREATE TABLE big (id bigint PRIMARY KEY, note text)');
  await source.query(`INSERT INTO big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, ${ROWS}) g`);
  await source.query('ANALYZE big');
}, 60_000);

afterAll(async () => {
  await source?.[Symbol.asyncDispose]();
});

const auth = { authorization: `Bearer ${TOKEN}` };

/** The samples of one scrape, keyed `name{label="value",...}` as Prometheus prints them. */
async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(harness.server.url.replace('/graphql', '/metrics'), { headers: auth });
  expect(response.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

const series = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries({ connector: CONNECTOR, ...labels })
    .map(([key, value]) => `${key}="${value}"`)
    .join(',')}}`;

async function mutate(mutation: string, variables?: Record<string, unknown>): Promise<void> {
  const result = await gql(harness.server.url, mutation, variables, auth);
  expect(result.errors).toBeUndefined();
}

describe('GET /metrics', () => {
  it('shows snapshot rows growing during a copy, then applied changes by kind, the state and batch durations', async () => {
    await mutate('mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }', {
      i: { name: CONNECTOR, type: 'postgres', ...postgresConfig(source), tables: ['public.big'] },
    });
    await mutate(`mutation { startConnector(name: "${CONNECTOR}") { name } }`);

    // during the snapshot: the stage gauge says so and the copied rows grow between scrapes
    const rows = series('tributary_connector_snapshot_rows_total');
    const first = await waitFor('rows copied', async () => {
      const samples = await scrape();
      const copied = samples.get(rows) ?? 0;
      return copied > 0 && copied < ROWS ? samples : undefined;
    });
    expect(first.get(series('tributary_connector_stage', { stage: 'initial_snapshot' }))).toBe(1);
    expect(first.get(series('tributary_connector_active'))).toBe(1);
    const firstRows = first.get(rows) ?? 0;
    await waitFor('more rows copied', async () =>
      ((await scrape()).get(rows) ?? 0) > firstRows ? true : undefined,
    );

    // streaming: state polling in stage change_data_capture, the whole table counted
    const streaming = await waitFor(
      'streaming',
      async () => {
        const samples = await scrape();
        const polling = samples.get(series('tributary_connector_state', { state: 'polling' })) === 1;
        const cdc = samples.get(series('tributary_connector_stage', { stage: 'change_data_capture' })) === 1;
        return polling && cdc ? samples : undefined;
      },
      60_000,
    );
    expect(streaming.get(series('tributary_connector_stage', { stage: 'initial_snapshot' }))).toBe(0);
    expect(streaming.get(series('tributary_connector_state', { state: 'stopped' }))).toBe(0);
    expect(streaming.get(rows)).toBe(ROWS);
    expect(streaming.get(series('tributary_connector_snapshot_tables_total'))).toBe(1);
    expect(streaming.get(series('tributary_connector_error'))).toBe(0);
    // the PostgreSQL source tells how much WAL its slot has not confirmed (read every few seconds)
    const walBehind = await waitFor('WAL distance', async () =>
      (await scrape()).get(series('tributary_connector_source_lag_bytes')),
    );
    expect(walBehind).toBeGreaterThanOrEqual(0);

    const changes = (kind: string) => series('tributary_connector_changes_total', { kind });
    const before = await scrape();
    await source.query(`INSERT INTO big VALUES (${ROWS + 1}, 'a'), (${ROWS + 2}, 'b'), (${ROWS + 3}, 'c')`);
    await source.query("UPDATE big SET note = 'changed' WHERE id = 1");
    await source.query('DELETE FROM big WHERE id = 2');
    const after = await waitFor('changes counted', async () => {
      const samples = await scrape();
      return samples.get(changes('delete')) === (before.get(changes('delete')) ?? 0) + 1
        ? samples
        : undefined;
    });
    expect(after.get(changes('insert'))).toBe((before.get(changes('insert')) ?? 0) + 3);
    expect(after.get(changes('update'))).toBe((before.get(changes('update')) ?? 0) + 1);
    expect(after.get(series('tributary_connector_transactions_total'))).toBeGreaterThanOrEqual(
      (before.get(series('tributary_connector_transactions_total')) ?? 0) + 3,
    );
    expect(after.get(series('tributary_connector_batches_total'))).toBeGreaterThan(
      before.get(series('tributary_connector_batches_total')) ?? 0,
    );
    expect(after.get(series('tributary_connector_batch_duration_seconds_count'))).toBeGreaterThan(0);
    expect(after.get(series('tributary_connector_lag_seconds'))).toBeGreaterThanOrEqual(0);
    expect(after.get(series('tributary_connector_bad_events_total'))).toBe(0);
    expect(after.get(series('tributary_connector_restarts_total'))).toBeUndefined();

    await mutate(`mutation { stopConnector(name: "${CONNECTOR}") { name } }`);
    const stopped = await scrape();
    expect(stopped.get(series('tributary_connector_state', { state: 'stopped' }))).toBe(1);
    expect(stopped.get(series('tributary_connector_state', { state: 'polling' }))).toBe(0);
    expect(stopped.get(series('tributary_connector_active'))).toBe(0);
    expect(stopped.get(series('tributary_connector_source_lag_bytes'))).toBeUndefined();
  }, 120_000);
});
