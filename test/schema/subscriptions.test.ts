import { beforeAll, describe, expect, inject, it } from 'vitest';
import { gql } from '../support/graphql-http.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { useFileServer } from '../support/test-runtime.js';

const harness = useFileServer(inject('targetClusterUrl'));

beforeAll(async () => {
  await gql(
    harness.server.url,
    'mutation { addConnector(input: { name: "live", type: "memory", host: "h", port: 1, user: "u", password: "p", database: "d" }) { name } }',
  );
});

const STATS =
  'subscription ($name: String!, $interval: Int) { connectorStats(name: $name, intervalMs: $interval) { dmls batchesDone snapshotRows } }';

describe('graphql-ws subscriptions on /graphql', () => {
  it('delivers connectorStats now and then at the interval', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using stats = subscribe<{ connectorStats: { dmls: number } }>(client, STATS, {
        name: 'live',
        interval: 100,
      });
      const started = Date.now();
      const results = await stats.take(3);
      expect(results).toHaveLength(3);
      for (const result of results) {
        expect(result.errors).toBeUndefined();
        expect(result.data?.connectorStats).toEqual({ dmls: 0, batchesDone: 0, snapshotRows: 0 });
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    } finally {
      await client.dispose();
    }
  });

  it('reflects stats written by the engine in the next payload', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using stats = subscribe<{ connectorStats: { dmls: number } }>(client, STATS, {
        name: 'live',
        interval: 100,
      });
      await stats.take(1);
      await harness.db.query("UPDATE tributary.stats SET dmls = 42 WHERE connector = 'live'");
      const [next] = await stats.take(1);
      expect(next?.data?.connectorStats.dmls).toBe(42);
    } finally {
      await client.dispose();
    }
  });

  it('answers NOT_FOUND for an unknown connector', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using stats = subscribe(client, STATS, { name: 'ghost' });
      const [result] = await stats.take(1);
      expect(result?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(result?.errors?.[0]?.message).toMatch(/no connector named "ghost"/);
    } finally {
      await client.dispose();
    }
  });

  it('answers INVALID_INPUT for an invalid operation or interval', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using bad = subscribe(client, 'subscription { connectorStats { dmls } }');
      const [result] = await bad.take(1);
      expect(result?.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
      await using fast = subscribe(client, STATS, { name: 'live', interval: 1 });
      const [tooFast] = await fast.take(1);
      expect(tooFast?.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
      expect(tooFast?.errors?.[0]?.message).toMatch(/intervalMs must be between 100/);
    } finally {
      await client.dispose();
    }
  });

  it('runs queries over the same socket', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using query = subscribe<{ connectors: { name: string }[] }>(client, '{ connectors { name } }');
      const [result] = await query.take(1);
      expect(result?.data?.connectors).toEqual([{ name: 'live' }]);
    } finally {
      await client.dispose();
    }
  });
});
