import { describe, expect, it } from 'vitest';
import { HistoryLostError, type Row, type SourceTable } from '../../../core/plugin/index.js';
import { qualifiedName } from '../../../core/plugin/kit.js';
import { formatLsn } from '../../../plugins/sqlserver/offset.js';
import { CdcModel, type ModelTable } from '../../support/mssql-model/cdc-model.js';
import {
  applyStrictly,
  openModelSource as open,
  random,
  randomTransaction,
  readUntil,
  snapshotReplica,
  sourceRows,
  workloadTables,
} from './model-workload.js';

describe('sqlserver stream over the CDC model', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'reproduces two tables row by row from a snapshot taken under random harvest lag (seed %i)',
    async (seed) => {
      const next = random(seed);
      const model = new CdcModel();
      const modelTables = workloadTables(model);
      const ids = { n: 0 };
      for (let i = 0; i < 5 + next(10); i++) randomTransaction(model, modelTables, next, ids);
      model.harvestLag = 1 + next(4);
      // The capture job lags: the log holds commits the change tables do not show yet.
      expect(model.harvest()).toBeLessThan(model.logEnd);
      await using source = await open(model);
      const tables = await source.connection.discover(['dbo.a', 'testDB.dbo.b']);
      const { replica, startOffset } = await snapshotReplica(source.connection, tables);
      for (let i = 0; i < 5 + next(10); i++) randomTransaction(model, modelTables, next, ids);
      model.harvestLag = 0;
      const end = model.lsn(model.logEnd).toString('hex').toUpperCase();

      const events = await readUntil(source.connection, startOffset, tables, end);

      for (const event of events) applyStrictly(replica, event);
      for (const table of modelTables) expect(replica.get(table.name)).toEqual(sourceRows(model, table));
      const offsets = events.flatMap((event) => (event.kind === 'change' ? [event.commitOffset] : []));
      expect(offsets).toEqual([...offsets].sort());
      expect(offsets.every((offset) => offset > startOffset)).toBe(true);
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

  it.each([
    [null, true],
    [['dbo.a', 'dbo.late'], true],
    [['dbo.a'], false],
  ] as const)(
    'delivers a table enabled for CDC while streaming as a create before its first row when the selection %j takes it',
    async (selection, taken) => {
      const model = new CdcModel();
      workloadTables(model);
      await using source = await open(model);
      const tables = await source.connection.discover(selection === null ? null : [...selection]);
      const from = formatLsn(model.lsn(model.logEnd));
      const late = model.createTable(
        'dbo',
        'late',
        [
          { name: 'id', type: 'int', nullable: false },
          { name: 'note', type: 'nvarchar(20)', nullable: false },
        ],
        ['id'],
      );
      model.enableTable(late);
      model.commit([{ op: 'insert', table: late, rows: [{ id: 1, note: 'first' }] }]);

      const events = await readUntil(
        source.connection,
        from,
        tables,
        formatLsn(model.lsn(model.logEnd)),
        selection === null ? null : [...selection],
      );

      const summary = events.flatMap((event) =>
        event.kind === 'schema'
          ? [`${event.action} ${event.table.ref.name}`]
          : event.kind === 'change'
            ? [`${event.op} ${event.table.name}`]
            : [],
      );
      expect(summary).toEqual(taken ? ['create late', 'insert late'] : []);
      const create = events.find((event) => event.kind === 'schema');
      if (taken)
        expect(create).toMatchObject({
          table: {
            ref: { database: 'testDB', schema: 'dbo', name: 'late' },
            primaryKey: ['id'],
            columns: [
              { name: 'id', type: 'int', nullable: false },
              { name: 'note', type: 'nvarchar', length: 20, nullable: false },
            ],
          },
        });
    },
  );

  it('reads a change once when an older capture instance of the table captures it too', async () => {
    const model = new CdcModel();
    const [table] = workloadTables(model) as [ModelTable];
    await using source = await open(model);
    const tables = await source.connection.discover(['dbo.a']);
    const from = formatLsn(model.lsn(model.logEnd));
    model.addColumn(table, { name: 'extra', type: 'int', nullable: true });
    model.enableTable(table, 'dbo_a_2');
    model.commit([{ op: 'insert', table, rows: [{ id: 1, name: 'one', extra: 7 }] }]);

    const events = await readUntil(source.connection, from, tables, formatLsn(model.lsn(model.logEnd)));

    expect(events.filter((event) => event.kind !== 'checkpoint')).toMatchObject([
      { kind: 'schema', action: 'alter' },
      { kind: 'change', op: 'insert', after: { id: 1, name: 'one', extra: 7 } },
    ]);
  });
});
