import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mysqlPlugin } from '../../plugins/mysql/index.js';
import { MARIADB_ADMIN, type MariadbServer, startMariadb } from '../support/mariadb-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { type FaultSource, itemLines, runFaultScenario } from './fault-scenario.js';

/** Runs `work` on a new session, ending it even when the server went away. */
async function onSession<T>(
  server: MariadbServer,
  database: string | undefined,
  work: (session: mysql.Connection) => Promise<T>,
): Promise<T> {
  const session = await mysql.createConnection({ uri: server.url, database });
  session.on('error', () => undefined);
  try {
    return await work(session);
  } finally {
    await Promise.race([session.end().catch(() => undefined), sleep(1_000)]);
  }
}

/** A fresh database with `items` on `server`, for the MySQL plugin. */
async function mysqlSource(server: MariadbServer): Promise<FaultSource> {
  const name = `faults_${randomBytes(5).toString('hex')}`;
  await onSession(server, undefined, (session) => session.query(`CREATE DATABASE ${name}`));
  await onSession(server, name, (session) =>
    session.query('CREATE TABLE items (id integer PRIMARY KEY, name text, amount integer)'),
  );
  return {
    plugin: mysqlPlugin,
    table: { database: name, schema: null, name: 'items' },
    config: (host, port) => ({
      host,
      port,
      user: MARIADB_ADMIN.user,
      password: MARIADB_ADMIN.password,
      database: name,
      options: { heartbeatIntervalMs: 500 },
    }),
    transaction: (statements) =>
      onSession(server, name, async (session) => {
        await session.beginTransaction();
        for (const statement of statements) await session.query(statement);
        await session.commit();
      }),
    rows: () =>
      onSession(server, name, async (session) => {
        const [rows] = await session.query('SELECT id, name, amount FROM items');
        return itemLines(rows as Record<string, unknown>[]);
      }),
    [Symbol.asyncDispose]: () =>
      onSession(server, undefined, (session) => session.query(`DROP DATABASE IF EXISTS ${name}`)).then(
        () => undefined,
      ),
  };
}

describe('fault recovery with a MariaDB source', () => {
  let server: MariadbServer;

  beforeAll(async () => {
    server = await startMariadb('faults');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('recovers by itself after the source MariaDB restarts during CDC', async () => {
    await runFaultScenario({
      name: 'source_restart',
      side: 'source',
      source: () => mysqlSource(server),
      sourceAt: { host: server.host, port: server.port },
      targetCluster: inject('targetClusterUrl'),
      inject: () => server.shutdown(),
      heal: () => server.start(),
    });
  }, 90_000);

  it('recovers by itself after the network to the source is cut during CDC', async () => {
    await using proxy = await TcpProxy.start(server.host, server.port);
    await runFaultScenario({
      name: 'source_cut',
      side: 'source',
      source: () => mysqlSource(server),
      sourceAt: { host: proxy.host, port: proxy.port },
      targetCluster: inject('targetClusterUrl'),
      inject: async () => proxy.cut(),
      heal: async () => proxy.restore(),
    });
  }, 90_000);

  it('reconnects by itself when the network to the source stalls for longer than stallTimeoutMs', async () => {
    await using proxy = await TcpProxy.start(server.host, server.port);
    const timings = await runFaultScenario({
      name: 'source_long_stall',
      side: 'source',
      source: () => mysqlSource(server),
      sourceAt: { host: proxy.host, port: proxy.port },
      sourceOptions: { stallTimeoutMs: 2_000 },
      targetCluster: inject('targetClusterUrl'),
      inject: async () => proxy.stall(),
      heal: async () => proxy.restore(),
      expectError: /nothing received from the source for 2 s/,
    });
    // The watch counts silence from the last byte heard, which arrives a moment before the fault
    // (the workload commits every few milliseconds): noticing takes the timeout, less that moment.
    expect(timings.detectedMs).toBeGreaterThan(2_000 - 1_000);
  }, 90_000);

  it('rides out a short stall of the network to the source', async () => {
    await using proxy = await TcpProxy.start(server.host, server.port);
    await runFaultScenario({
      name: 'source_stall',
      side: 'source',
      noticed: false,
      source: () => mysqlSource(server),
      sourceAt: { host: proxy.host, port: proxy.port },
      targetCluster: inject('targetClusterUrl'),
      inject: async () => proxy.stall(),
      heal: async () => proxy.restore(),
    });
  }, 90_000);
});
