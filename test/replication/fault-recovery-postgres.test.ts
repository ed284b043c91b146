import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresPlugin } from '../../plugins/postgres/index.js';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { type RestartableCluster, startRestartableCluster } from '../support/restartable-postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase } from '../support/test-database.js';
import { type FaultSource, itemLines, runFaultScenario } from './fault-scenario.js';

/** Runs `work` on a new session, ending it even when the server went away. */
async function onSession<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    await Promise.race([client.end().catch(() => undefined), sleep(1_000)]);
  }
}

/** A fresh database with `items` in `clusterUrl`, for the PostgreSQL plugin. */
async function postgresSource(clusterUrl: string): Promise<FaultSource> {
  const database = await createTestDatabase(clusterUrl, 'faults');
  await onSession(database.url, (client) =>
    client.query('CREATE TABLE items (id integer PRIMARY KEY, name text, amount integer)'),
  );
  return {
    plugin: postgresPlugin,
    table: { database: database.name, schema: 'public', name: 'items' },
    config: (host, port) => ({ ...postgresConfig(database), host, port }),
    transaction: (statements) =>
      onSession(database.url, async (client) => {
        await client.query('BEGIN');
        for (const statement of statements) await client.query(statement);
        await client.query('COMMIT');
      }),
    rows: () =>
      onSession(database.url, async (client) =>
        itemLines((await client.query('SELECT id, name, amount FROM items')).rows),
      ),
    [Symbol.asyncDispose]: () => database[Symbol.asyncDispose](),
  };
}

describe('fault recovery with a PostgreSQL source', () => {
  let source: RestartableCluster;
  let target: RestartableCluster;
  const real = { host: '127.0.0.1', port: 0 };

  beforeAll(async () => {
    [source, target] = await Promise.all([
      startRestartableCluster('fault-source', {
        wal_level: 'logical',
        max_replication_slots: '20',
        max_wal_senders: '20',
        wal_sender_timeout: '10s',
      }),
      startRestartableCluster('fault-target'),
    ]);
    real.port = source.port;
  });

  afterAll(async () => {
    await Promise.all([source?.[Symbol.asyncDispose](), target?.[Symbol.asyncDispose]()]);
  });

  it('recovers by itself after the target PostgreSQL restarts during CDC', async () => {
    await runFaultScenario({
      name: 'target_restart',
      side: 'target',
      source: () => postgresSource(source.url),
      sourceAt: real,
      targetCluster: target.url,
      inject: () => target.shutdown(),
      heal: () => target.start(),
    });
  }, 90_000);

  it('recovers by itself after the source PostgreSQL restarts during CDC', async () => {
    await runFaultScenario({
      name: 'source_restart',
      side: 'source',
      source: () => postgresSource(source.url),
      sourceAt: real,
      targetCluster: target.url,
      inject: () => source.shutdown(),
      heal: () => source.start(),
    });
  }, 90_000);

  it('recovers by itself after the network to the source is cut during CDC', async () => {
    await using proxy = await TcpProxy.start('127.0.0.1', source.port);
    await runFaultScenario({
      name: 'source_cut',
      side: 'source',
      source: () => postgresSource(source.url),
      sourceAt: { host: proxy.host, port: proxy.port },
      targetCluster: target.url,
      inject: async () => proxy.cut(),
      heal: async () => proxy.restore(),
    });
  }, 90_000);

  it('recovers by itself after the network to the target is cut during CDC', async () => {
    await using proxy = await TcpProxy.start('127.0.0.1', target.port);
    await runFaultScenario({
      name: 'target_cut',
      side: 'target',
      source: () => postgresSource(source.url),
      sourceAt: real,
      targetCluster: target.url,
      serverUrl: (url) => proxy.url(url),
      inject: async () => proxy.cut(),
      heal: async () => proxy.restore(),
    });
  }, 90_000);

  it('reconnects by itself when the network to the source stalls for longer than stallTimeoutMs', async () => {
    await using proxy = await TcpProxy.start('127.0.0.1', source.port);
    const timings = await runFaultScenario({
      name: 'source_long_stall',
      side: 'source',
      source: () => postgresSource(source.url),
      sourceAt: { host: proxy.host, port: proxy.port },
      sourceOptions: { stallTimeoutMs: 2_000 },
      targetCluster: target.url,
      inject: async () => proxy.stall(),
      heal: async () => proxy.restore(),
      expectError: /nothing received from the source for 2 s/,
    });
    // The watch counts silence from the last byte heard, which arrives a moment before the fault
    // (the workload commits every few milliseconds): noticing takes the timeout, less that moment.
    expect(timings.detectedMs).toBeGreaterThan(2_000 - 1_000);
  }, 90_000);

  it('rides out a short stall of the network to the source and the target', async () => {
    await using toSource = await TcpProxy.start('127.0.0.1', source.port);
    await using toTarget = await TcpProxy.start('127.0.0.1', target.port);
    await runFaultScenario({
      name: 'stall',
      side: 'source',
      noticed: false,
      source: () => postgresSource(source.url),
      sourceAt: { host: toSource.host, port: toSource.port },
      targetCluster: target.url,
      serverUrl: (url) => toTarget.url(url),
      inject: async () => {
        toSource.stall();
        toTarget.stall();
      },
      heal: async () => {
        toSource.restore();
        toTarget.restore();
      },
    });
  }, 90_000);
});
