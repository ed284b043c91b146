import type {
  Row,
  SourceConnection,
  SourceEvent,
  SourceTable,
  TableSelection,
} from '../../../core/plugin/index.js';
import { sqlServerPlugin } from '../../../plugins/sqlserver/index.js';
import { startFakeTds } from '../../support/fake-tds/fake-tds-server.js';
import type { CdcModel, ModelRow, ModelStatement, ModelTable } from '../../support/mssql-model/cdc-model.js';
import { modelHandler } from '../../support/mssql-model/model-handler.js';

const silentLog = { debug() {}, info() {}, warn() {} };

/**
 * The sqlserver plugin connected through tedious to a fake TDS server answering from `model`;
 * `onStatement` runs before each statement is answered, with its tag (a workload step).
 */
export async function openModelSource(model: CdcModel, onStatement?: (tag: string) => void) {
  const fake = await startFakeTds({ handler: modelHandler(model, onStatement ? { onStatement } : {}) });
  const config = sqlServerPlugin.configSchema.parse({
    host: '127.0.0.1',
    port: fake.port,
    user: 'tributary',
    password: 'secret',
    database: 'testDB',
    options: { pollIntervalMs: 20, pageSize: 3 },
  });
  const connect = () =>
    sqlServerPlugin.connect(config, {
      connectorName: 'c1',
      log: silentLog,
      signal: new AbortController().signal,
    });
  const connections: SourceConnection[] = [await connect()];
  return {
    get connection(): SourceConnection {
      return connections[0] as SourceConnection;
    },
    /** Another connection to the same source (the old ones stay open until disposal, as after a kill). */
    async reconnect(): Promise<SourceConnection> {
      const connection = await connect();
      connections.push(connection);
      return connection;
    },
    async [Symbol.asyncDispose]() {
      for (const connection of connections) await connection.close();
      await fake.close();
    },
  };
}

/** Reads the stream from `from` until a checkpoint at or after `until`. */
export async function readUntil(
  connection: SourceConnection,
  from: string,
  tables: SourceTable[],
  until: string,
  selection?: TableSelection,
): Promise<SourceEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  const events: SourceEvent[] = [];
  try {
    const options = { tables, signal: controller.signal, ...(selection !== undefined ? { selection } : {}) };
    for await (const event of connection.readChanges(from, options)) {
      events.push(event);
      if (event.kind === 'checkpoint' && event.offset >= until) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

/** Replicated rows: table name → row id → row. */
export type Replica = Map<string, Map<string, Row>>;

/** Applies a change as the engine does, strictly: a missing or doubled row is an error. */
export function applyStrictly(replica: Replica, event: SourceEvent): void {
  if (event.kind !== 'change') return;
  const rows = replica.get(event.table.name) ?? new Map<string, Row>();
  replica.set(event.table.name, rows);
  const oldKey = String(event.before?.id);
  if (event.op !== 'insert' && !rows.has(oldKey)) throw new Error(`${event.op} of missing row ${oldKey}`);
  if (event.op !== 'insert') rows.delete(oldKey);
  if (event.op === 'delete') return;
  const newKey = String(event.after?.id);
  if (rows.has(newKey)) throw new Error(`insert of existing row ${newKey}`);
  rows.set(newKey, event.after ?? {});
}

/** The rows of a model table now, by id. */
export function sourceRows(model: CdcModel, table: ModelTable): Map<string, ModelRow> {
  return new Map(model.rowsAt(table, model.logEnd).map((row) => [String(row.id), row]));
}

/** A small deterministic random generator (`next(n)` in [0, n)), so a failure replays from its seed. */
export function random(seed: number): (n: number) => number {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    // the high bits: an LCG's low bits cycle (the lowest one alternates)
    return Math.floor((state / 2 ** 31) * n);
  };
}

/** Tables `a` and `b` (`id int` key, `name nvarchar(max)`), enabled for CDC. */
export function workloadTables(model: CdcModel): ModelTable[] {
  return ['a', 'b'].map((name) => {
    const table = model.createTable(
      'dbo',
      name,
      [
        { name: 'id', type: 'int', nullable: false },
        { name: 'name', type: 'nvarchar(max)', nullable: true },
      ],
      ['id'],
    );
    model.enableTable(table);
    return table;
  });
}

/** Writes one transaction of 1–3 random inserts, deletes, updates and key changes (held while its tables are locked). */
export function randomTransaction(
  model: CdcModel,
  tables: ModelTable[],
  next: (n: number) => number,
  ids: { n: number },
): void {
  const statements: ModelStatement[] = [];
  for (let count = 1 + next(3); count > 0; count--) {
    const table = tables[next(tables.length)] as ModelTable;
    const existing = [...table.rows.values()];
    const pick = existing[next(Math.max(existing.length, 1))];
    const choice = next(4);
    if (choice === 0 || !pick)
      statements.push({ op: 'insert' as const, table, rows: [{ id: ++ids.n, name: `n${ids.n}` }] });
    else if (choice === 1) statements.push({ op: 'delete' as const, table, key: { id: pick.id ?? null } });
    else if (choice === 2)
      statements.push({
        op: 'update' as const,
        table,
        key: { id: pick.id ?? null },
        values: { name: `u${ids.n++}` },
      });
    else
      statements.push({
        op: 'update' as const,
        table,
        key: { id: pick.id ?? null },
        values: { id: ++ids.n },
      });
  }
  // Statements of one transaction may touch a row deleted earlier in it (or, for a write held by a
  // table lock, before it commits): the model skips those.
  model.write(statements);
}

/** Copies `tables` through a fresh capture session in pages of 2 rows, running `work` after each page. */
export async function snapshotReplica(
  connection: SourceConnection,
  tables: SourceTable[],
  work: () => void = () => undefined,
): Promise<{ replica: Replica; startOffset: string }> {
  await using capture = await connection.startCapture(tables);
  const replica: Replica = new Map();
  for (const table of tables) {
    const rows = new Map<string, Row>();
    for await (const batch of capture.readTable(table, {
      batchSize: 2,
      signal: new AbortController().signal,
    })) {
      for (const row of batch) rows.set(String(row.id), row);
      work();
    }
    replica.set(table.ref.name, rows);
  }
  return { replica, startOffset: capture.startOffset };
}
