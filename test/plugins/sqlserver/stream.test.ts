import { describe, expect, it } from 'vitest';
import {
  HistoryLostError,
  type Row,
  type SourceConnection,
  type SourceEvent,
  type SourceTable,
} from '../../../core/plugin/index.js';
import { qualifiedName } from '../../../core/plugin/kit.js';
import { formatLsn, sqlServerPlugin } from '../../../plugins/sqlserver/index.js';
import { startFakeTds } from '../../support/fake-tds/fake-tds-server.js';
import {
  CdcModel,
  type ModelRow,
  type ModelStatement,
  type ModelTable,
} from '../../support/mssql-model/cdc-model.js';
import { modelHandler } from '../../support/mssql-model/model-handler.js';

const silentLog = { debug() {}, info() {}, warn() {} };

async function open(model: CdcModel) {
  const fake = await startFakeTds({ handler: modelHandler(model) });
  const config = sqlServerPlugin.configSchema.parse({
    host: '127.0.0.1',
    port: fake.port,
    user: 'tributary',
    password: 'secret',
    database: 'testDB',
    options: { pollIntervalMs: 20, pageSize: 3 },
  });
  const connection = await sqlServerPlugin.connect(config, {
    connectorName: 'c1',
    log: silentLog,
    signal: new AbortController().signal,
  });
  return {
    connection,
    async [Symbol.asyncDispose]() {
      await connection.close();
      await fake.close();
    },
  };
}

/** Reads the stream from `from` until a checkpoint at or after `until`. */
async function readUntil(connection: SourceConnection, from: string, tables: SourceTable[], until: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  const events: SourceEvent[] = [];
  try {
    for await (const event of connection.readChanges(from, { tables, signal: controller.signal })) {
      events.push(event);
      if (event.kind === 'checkpoint' && event.offset >= until) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

/** Applies a change as the engine does, strictly: a missing or doubled row is an error. */
function applyStrictly(replica: Map<string, Map<string, Row>>, event: SourceEvent): void {
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

function sourceRows(model: CdcModel, table: ModelTable): Map<string, ModelRow> {
  return new Map(model.rowsAt(table, model.logEnd).map((row) => [String(row.id), row]));
}

/** A small deterministic random generator, so a failure can be replayed from its seed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

function randomTransaction(
  model: CdcModel,
  tables: ModelTable[],
  next: (n: number) => number,
  ids: { n: number },
) {
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
  // Statements of one transaction may touch a row deleted earlier in it: the model skips those.
  model.commit(statements);
}

describe('sqlserver stream over the CDC model', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'reproduces two tables row by row from a snapshot taken under random harvest lag (seed %i)',
    async (seed) => {
      const next = random(seed);
      const model = new CdcModel();
      const columns = [
        { name: 'id', type: 'int', nullable: false },
        { name: 'name', type: 'nvarchar(max)', nullable: true },
      ];
      const modelTables = ['a', 'b'].map((name) => {
        const table = model.createTable('dbo', name, [...columns], ['id']);
        model.enableTable(table);
        return table;
      });
      const ids = { n: 0 };
      for (let i = 0; i < 5 + next(10); i++) randomTransaction(model, modelTables, next, ids);
      model.harvestLag = 1 + next(4);
      // The capture job lags: the log holds commits the change tables do not show yet.
      expect(model.harvest()).toBeLessThan(model.logEnd);
      await using source = await open(model);
      const tables = await source.connection.discover(['dbo.a', 'testDB.dbo.b']);
      await using capture = await source.connection.startCapture(tables);
      const replica = new Map<string, Map<string, Row>>();
      for (const table of tables) {
        const rows = new Map<string, Row>();
        for await (const batch of capture.readTable(table, {
          batchSize: 2,
          signal: new AbortController().signal,
        }))
          for (const row of batch) rows.set(String(row.id), row);
        replica.set(table.ref.name, rows);
      }
      for (let i = 0; i < 5 + next(10); i++) randomTransaction(model, modelTables, next, ids);
      model.harvestLag = 0;
      const end = model.lsn(model.logEnd).toString('hex').toUpperCase();

      const events = await readUntil(source.connection, capture.startOffset, tables, end);

      for (const event of events) applyStrictly(replica, event);
      for (const table of modelTables) expect(replica.get(table.name)).toEqual(sourceRows(model, table));
      const offsets = events.flatMap((event) => (event.kind === 'change' ? [event.commitOffset] : []));
      expect(offsets).toEqual([...offsets].sort());
      expect(offsets.every((offset) => offset > capture.startOffset)).toBe(true);
    },
  );

  it('throws HistoryLostError when the cleanup job removed changes after the position', async () => {
    const model = new CdcModel();
    const table = model.createTable('dbo', 'orders', [{ name: 'id', type: 'int', nullable: false }], ['id']);
    model.enableTable(table);
    model.commit([{ op: 'insert', table, rows: [{ id: 1 }] }]);
    await using source = await open(model);
    const tables = await source.connection.discover(['orders']);
    const from = formatLsn(model.lsn(model.logEnd));
    model.commit([{ op: 'insert', table, rows: [{ id: 2 }] }]);
    const seen = await readUntil(
      source.connection,
      from,
      tables,
      model.lsn(model.logEnd).toString('hex').toUpperCase(),
    );
    expect(seen.filter((event) => event.kind === 'change')).toHaveLength(1);
    model.commit([{ op: 'insert', table, rows: [{ id: 3 }] }]);
    model.cleanup(model.logEnd);

    await expect(readUntil(source.connection, from, tables, 'F'.repeat(20))).rejects.toBeInstanceOf(
      HistoryLostError,
    );
  });

  it('carries exact values equal in the snapshot and the stream', async () => {
    const model = new CdcModel();
    const table = model.createTable(
      'dbo',
      'exact',
      [
        { name: 'id', type: 'int', nullable: false },
        { name: 'amount', type: 'decimal(38,10)', nullable: true },
        { name: 'big', type: 'bigint', nullable: true },
        { name: 'at', type: 'datetime2(7)', nullable: true },
        { name: 'zoned', type: 'datetimeoffset(7)', nullable: true },
        { name: 'uid', type: 'uniqueidentifier', nullable: true },
        { name: 'bytes', type: 'varbinary(max)', nullable: true },
        { name: 'doc', type: 'nvarchar(max)', nullable: true },
      ],
      ['id'],
    );
    model.enableTable(table);
    const values = {
      amount: '1234567890123456789012345678.0123456789',
      big: '9007199254740993',
      at: '2024-01-02 03:04:05.1234567',
      zoned: '2024-01-02 03:04:05.1234567 +05:30',
      uid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      bytes: Buffer.from('00ff10', 'hex'),
      doc: 'é'.repeat(5000),
    };
    model.commit([{ op: 'insert', table, rows: [{ id: 1, ...values }] }]);
    await using source = await open(model);
    const tables = await source.connection.discover(['dbo.exact']);
    await using capture = await source.connection.startCapture(tables);
    const batches: Row[][] = [];
    for await (const batch of capture.readTable(tables[0] as SourceTable, {
      batchSize: 5,
      signal: new AbortController().signal,
    }))
      batches.push([...batch]);
    const [snapshotRow] = batches.flat();
    model.commit([{ op: 'insert', table, rows: [{ id: 2, ...values }] }]);

    const events = await readUntil(
      source.connection,
      capture.startOffset,
      tables,
      model.lsn(model.logEnd).toString('hex').toUpperCase(),
    );

    const streamed = events.find((event) => event.kind === 'change');
    expect(snapshotRow).toEqual({ id: 1, ...values });
    expect(streamed).toMatchObject({ op: 'insert', after: { id: 2, ...values } });
    expect(
      tables[0]?.columns.map((column) => [
        column.name,
        column.type,
        column.precision ?? column.length ?? null,
        column.scale ?? null,
      ]),
    ).toEqual([
      ['id', 'int', null, null],
      ['amount', 'decimal', 38, 10],
      ['big', 'bigint', null, null],
      ['at', 'datetime2', null, 7],
      ['zoned', 'datetimeoffset', null, 7],
      ['uid', 'uniqueidentifier', null, null],
      ['bytes', 'varbinary', null, null],
      ['doc', 'nvarchar', null, null],
    ]);
    expect(qualifiedName(tables[0]?.ref ?? { database: '', schema: null, name: '' })).toBe('dbo.exact');
  });
});
