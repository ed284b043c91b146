import type { SourceConnection, SourceEvent } from '../../../core/plugin/index.js';
import {
  dropMemoryDatabase,
  MemoryDatabase,
  type MemoryDatabaseSettings,
  memoryPlugin,
  registerMemoryDatabase,
} from '../../../plugins/memory/index.js';

/** A registered memory database with an `items (id integer key, name text)` table. */
export interface MemoryFixture extends AsyncDisposable {
  readonly database: MemoryDatabase;
  /** Opens a connection to the database; closed when the fixture is disposed. */
  connect(connectorName?: string, options?: Record<string, unknown>): Promise<SourceConnection>;
}

let created = 0;

export function memoryFixture(settings: Partial<MemoryDatabaseSettings> = {}): MemoryFixture {
  created += 1;
  const database = registerMemoryDatabase(new MemoryDatabase(`fixture_${process.pid}_${created}`, settings));
  database.createTable('items', {
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
    ],
    primaryKey: ['id'],
  });
  const connections: SourceConnection[] = [];
  const controller = new AbortController();
  return {
    database,
    async connect(connectorName = 'fixture', options = {}) {
      const config = memoryPlugin.configSchema.parse(memoryConfig(database.name, options));
      const log = { debug() {}, info() {}, warn() {} };
      const connection = await memoryPlugin.connect(config, {
        connectorName,
        log,
        signal: controller.signal,
      });
      connections.push(connection);
      return connection;
    },
    async [Symbol.asyncDispose]() {
      controller.abort();
      for (const connection of connections) await connection.close();
      dropMemoryDatabase(database.name);
    },
  };
}

export function memoryConfig(
  database: string,
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  return { host: 'localhost', port: 5432, user: 'tester', password: 'unused', database, options };
}

/** Reads `readChanges(from)` until `count` checkpoints arrived (or 5 s passed), then stops. */
export async function readCheckpoints(
  connection: SourceConnection,
  from: string,
  count: number,
): Promise<SourceEvent[]> {
  const controller = new AbortController();
  const events: SourceEvent[] = [];
  let seen = 0;
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(5_000)]);
  for await (const event of connection.readChanges(from, { tables: [], signal })) {
    events.push(event);
    if (event.kind === 'checkpoint' && ++seen === count) break;
  }
  controller.abort();
  return events;
}
