import { describe, expect, it } from 'vitest';
import {
  HistoryLostError,
  type Row,
  type SourceEvent,
  type SourceTable,
} from '../../../core/plugin/index.js';
import { checkpoints, dataEvents, readEvents, summariseAll } from '../../contract/stream-reader.js';
import { connectModel, currentOffset, quickStartModel } from './oracle-model.js';

async function readAll(rows: AsyncIterable<readonly Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const batch of rows) out.push(...batch);
  return out;
}

const order = (n: string) => ({
  ORDER_NUMBER: n,
  ORDER_DATE: '2024-03-01 10:11:12',
  PURCHASER: "O’Brien 'q'",
  QUANTITY: '2.50',
  PRODUCT_ID: '107',
});

describe('Oracle plugin on the LogMiner model', () => {
  it('discovers DBZUSER.ORDERS as the source spells it, with its key', async () => {
    await using connection = await connectModel(quickStartModel());
    const [table] = await connection.discover(['DBZUSER.ORDERS']);
    expect(table?.ref).toEqual({ database: 'FREE', schema: 'DBZUSER', name: 'ORDERS' });
    expect(table?.primaryKey).toEqual(['ORDER_NUMBER']);
    expect(table?.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'ORDER_NUMBER number',
      'ORDER_DATE date',
      'PURCHASER varchar2',
      'QUANTITY number',
      'PRODUCT_ID number',
    ]);
    expect(await connection.discover(['DBZUSER.NOPE'])).toEqual([]);
  });

  it('snapshots as of the flashback SCN and streams every later change exactly once', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const open = model.begin();
    open.run({ op: 'update', table: 'ORDERS', key: { ORDER_NUMBER: '10001' }, values: { QUANTITY: '9' } });
    await using capture = await connection.startCapture(tables);
    model.commit([{ op: 'insert', table: 'ORDERS', row: order('10005') }]);
    open.commit();
    const rows = await readAll(
      capture.readTable(tables[0] as SourceTable, { batchSize: 3, signal: new AbortController().signal }),
    );
    expect(rows.map((row) => row.ORDER_NUMBER)).toEqual(['10001', '10002', '10003', '10004']);
    expect(rows[0]).toEqual({
      ORDER_NUMBER: '10001',
      ORDER_DATE: '2024-01-16 00:00:00',
      PURCHASER: '1001',
      QUANTITY: '1',
      PRODUCT_ID: '102',
    });
    const events = await readEvents(connection, capture.startOffset, { tables, until: dataEvents(2) });
    expect(summariseAll(events)).toHaveLength(2);
    const changes = events.filter((event) => event.kind === 'change');
    expect(changes[0]).toMatchObject({
      op: 'insert',
      after: {
        ORDER_NUMBER: '10005',
        QUANTITY: '2.5',
        PURCHASER: "O’Brien 'q'",
        ORDER_DATE: '2024-03-01 10:11:12',
      },
    });
    expect(changes[1]).toMatchObject({
      op: 'update',
      before: { QUANTITY: '1' },
      after: { ORDER_NUMBER: '10001', QUANTITY: '9' },
    });
    const offsets = checkpoints(events).map((checkpoint) => checkpoint.offset);
    expect([...offsets].sort()).toEqual(offsets);
    expect(offsets.every((offset) => offset > capture.startOffset)).toBe(true);
  });

  it('resumes from a checkpoint without repeating or losing a transaction', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const head = currentOffset(model);
    const long = model.begin();
    long.run({ op: 'insert', table: 'ORDERS', row: order('20000') });
    model.commit([{ op: 'insert', table: 'ORDERS', row: order('10005') }]);
    const first = await readEvents(connection, head, { tables, until: dataEvents(1) });
    const checkpoint = checkpoints(first).at(-1)?.offset ?? '';
    expect(checkpoint).toMatch(/;from=/);
    long.commit();
    model.commit([{ op: 'delete', table: 'ORDERS', key: { ORDER_NUMBER: '10002' } }]);
    const second = await readEvents(connection, checkpoint, { tables, until: dataEvents(2) });
    expect(summariseAll(second)).toEqual(summariseAll(second).filter((line) => !line.includes('10005')));
    const ops = second
      .filter((event) => event.kind === 'change')
      .map((event) => event.kind === 'change' && event.op);
    expect(ops).toEqual(['insert', 'delete']);
  });

  it('emits an added column before the first row that has it', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const head = currentOffset(model);
    model.addColumn('ORDERS', { name: 'NOTE', dataType: 'VARCHAR2', charLength: 20, nullable: true });
    model.commit([{ op: 'insert', table: 'ORDERS', row: { ...order('10006'), NOTE: 'hi' } }]);
    const events = await readEvents(connection, head, { tables, until: dataEvents(1) });
    const kinds = events.filter((event) => event.kind !== 'checkpoint').map((event) => event.kind);
    expect(kinds).toEqual(['schema', 'change']);
    const schema = events.find((event) => event.kind === 'schema');
    expect(schema).toMatchObject({ action: 'alter' });
    expect(schema?.kind === 'schema' && schema.table.columns.map((c) => c.name)).toContain('NOTE');
    expect(events.find((event) => event.kind === 'change')).toMatchObject({ after: { NOTE: 'hi' } });
  });

  it('does not skip a commit whose redo was not yet written when its SCN was passed', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const head = currentOffset(model);
    model.commit([{ op: 'insert', table: 'ORDERS', row: order('10007') }], { delayRedo: true });
    const events = await readEvents(connection, head, { tables, until: dataEvents(1) });
    expect(events.find((event) => event.kind === 'change')).toMatchObject({
      after: { ORDER_NUMBER: '10007' },
    });
  });

  it('throws HistoryLostError when an archived log it needs was deleted', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const head = currentOffset(model);
    model.commit([{ op: 'insert', table: 'ORDERS', row: order('10008') }]);
    model.switchLog();
    model.switchLog();
    model.deleteArchivedThrough(1);
    await expect(readEvents(connection, head, { tables, until: dataEvents(1) })).rejects.toBeInstanceOf(
      HistoryLostError,
    );
  });

  it('stops with a dictionary mismatch when redo names a table the catalog no longer has', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const head = currentOffset(model);
    model.commit([{ op: 'insert', table: 'ORDERS', row: order('10009') }]);
    model.dropTable('ORDERS');
    await expect(readEvents(connection, head, { tables, until: dataEvents(1) })).rejects.toThrow(
      /"UNKNOWN"\."OBJ# \d+".*take a new snapshot/,
    );
  });

  it('joins continuation rows: long values arrive whole', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.ORDERS']);
    const head = currentOffset(model);
    const long = `${'x'.repeat(150)}''${'é'.repeat(150)}`;
    model.commit([{ op: 'insert', table: 'ORDERS', row: { ...order('10010'), PURCHASER: long } }]);
    const events: SourceEvent[] = await readEvents(connection, head, { tables, until: dataEvents(1) });
    expect(events.find((event) => event.kind === 'change')).toMatchObject({ after: { PURCHASER: long } });
  });
});
