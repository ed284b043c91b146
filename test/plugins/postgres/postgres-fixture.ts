import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import type { PluginLogger, SourceEvent, SourceTable, TableSelection } from '../../../core/plugin/index.js';
import {
  type ConnectionTuning,
  connectPostgres,
  DEFAULT_TUNING,
  type PostgresConnection,
} from '../../../plugins/postgres/connection.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';
import { createTestDatabase } from '../../support/test-database.js';
import { PostgresContractSource, postgresConfig } from './postgres-contract-source.js';

export interface ConnectOptions {
  readonly connectorName?: string;
  readonly options?: Record<string, unknown>;
  /** `config.schema`; null (the default) means `public`. */
  readonly schema?: string | null;
  readonly tuning?: ConnectionTuning;
  readonly log?: PluginLogger;
}

/** A fresh database in the shared source cluster, with connections that are closed on dispose. */
export interface PostgresFixture extends AsyncDisposable {
  readonly source: PostgresContractSource;
  readonly databaseName: string;
  /** Runs SQL in the test database as the superuser, each statement its own transaction. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  connect(options?: ConnectOptions): Promise<PostgresConnection>;
  /** The connection's config as the plugin parsed it. */
  config(
    options?: Record<string, unknown>,
    schema?: string | null,
  ): ReturnType<typeof postgresPlugin.configSchema.parse>;
}

export const silentLog: PluginLogger = { debug() {}, info() {}, warn() {} };

export async function postgresFixture(): Promise<PostgresFixture> {
  const database = await createTestDatabase(inject('sourceClusterUrl'), 'pgsrc');
  const source = new PostgresContractSource(database);
  const connections: PostgresConnection[] = [];
  const controller = new AbortController();
  const config = (options: Record<string, unknown> = {}, schema: string | null = null) =>
    postgresPlugin.configSchema.parse({ ...postgresConfig(database, options), schema });
  return {
    source,
    databaseName: database.name,
    sql: async (text, values) => (await source.run(text, values)).rows,
    config,
    async connect(options = {}) {
      const connectorName = options.connectorName ?? `test_${randomBytes(4).toString('hex')}`;
      const context = { connectorName, log: options.log ?? silentLog, signal: controller.signal };
      const connection = await connectPostgres(
        config(options.options, options.schema),
        context,
        options.tuning ?? DEFAULT_TUNING,
      );
      connections.push(connection);
      return connection;
    },
    async [Symbol.asyncDispose]() {
      controller.abort();
      await Promise.allSettled(connections.map((connection) => connection.close()));
      await source[Symbol.asyncDispose]();
    },
  };
}

export interface CollectOptions {
  readonly tables: readonly SourceTable[];
  /** The connector's selection, as the engine passes it (absent: only `tables`). */
  readonly selection?: TableSelection;
  /** Stops once this holds for the events so far (checked after each event). */
  readonly until: (events: readonly SourceEvent[]) => boolean;
  readonly timeoutMs?: number;
}

/** Reads `readChanges(from)` until `until` holds; throws if it does not within the timeout. */
export async function collect(
  connection: PostgresConnection,
  from: string,
  { tables, selection, until, timeoutMs = 10_000 }: CollectOptions,
): Promise<SourceEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: SourceEvent[] = [];
  try {
    for await (const event of connection.readChanges(from, {
      tables,
      ...(selection !== undefined && { selection }),
      signal: controller.signal,
    })) {
      events.push(event);
      if (until(events)) return events;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  throw new Error(
    `the stream ended before the expected events arrived; got ${JSON.stringify(events.map((e) => e.kind))}`,
  );
}

/** Stop condition: `count` row changes followed by the checkpoint of their transaction. */
export function changesThenCheckpoint(count: number): (events: readonly SourceEvent[]) => boolean {
  return (events) =>
    events.at(-1)?.kind === 'checkpoint' && events.filter((event) => event.kind === 'change').length >= count;
}
