import { describe, expect, it } from 'vitest';
import type { Row, SourceTable } from '../../../core/plugin/index.js';
import { dataEvents, readEvents } from '../../contract/stream-reader.js';
import { LogMinerModel } from '../../support/logminer-model/logminer-model.js';
import { connectModel, currentOffset } from './oracle-model.js';

const BODY = `${"it's a long CLOB, ".repeat(6)}été 😀 ${'x'.repeat(40)}`;
const PICTURE = Buffer.from(Array.from({ length: 70 }, (_, i) => (i * 37) % 256));

function docsModel(): LogMinerModel {
  const model = new LogMinerModel('DBZUSER');
  model.createTable(
    'DOCS',
    [
      { name: 'ID', dataType: 'NUMBER', precision: 9, scale: 0, nullable: false },
      { name: 'TITLE', dataType: 'VARCHAR2', charLength: 40, nullable: true },
      { name: 'BODY', dataType: 'CLOB', nullable: true },
      { name: 'PICTURE', dataType: 'BLOB', nullable: true },
    ],
    ['ID'],
  );
  return model;
}

const doc = (id: string, body: string | null, picture: Buffer | null, title = 'doc') => ({
  ID: id,
  TITLE: title,
  BODY: body,
  PICTURE: picture === null ? null : picture.toString('hex'),
});

async function snapshot(model: LogMinerModel): Promise<Row[]> {
  await using connection = await connectModel(model);
  const tables = await connection.discover(['DBZUSER.DOCS']);
  await using capture = await connection.startCapture(tables);
  const rows: Row[] = [];
  for await (const batch of capture.readTable(tables[0] as SourceTable, {
    batchSize: 10,
    signal: new AbortController().signal,
  }))
    rows.push(...batch);
  return rows;
}

describe('Oracle LOB columns on the LogMiner model', () => {
  it('assembles CLOB and BLOB values written through their locators, equal to what the snapshot reads', async () => {
    const model = docsModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.DOCS']);
    const from = currentOffset(model);
    model.commit([{ op: 'insert', table: 'DOCS', row: doc('1', BODY, PICTURE) }]);
    model.commit([{ op: 'insert', table: 'DOCS', row: doc('2', 'short', Buffer.from([1, 2])) }]);
    model.commit([{ op: 'update', table: 'DOCS', key: { ID: '2' }, values: { BODY: `${BODY} (edited)` } }]);
    model.commit([
      {
        op: 'update',
        table: 'DOCS',
        key: { ID: '1' },
        values: { TITLE: 'renamed', BODY: BODY.toUpperCase() },
      },
    ]);
    model.commit([{ op: 'delete', table: 'DOCS', key: { ID: '2' } }]);

    const events = await readEvents(connection, from, { tables, until: dataEvents(5) });
    const changes = events.filter((event) => event.kind === 'change');
    expect(changes.map((change) => change.kind === 'change' && change.op)).toEqual([
      'insert',
      'insert',
      'update',
      'update',
      'delete',
    ]);
    expect(changes[0]).toMatchObject({ after: { ID: 1, TITLE: 'doc', BODY, PICTURE } });
    expect(changes[1]).toMatchObject({ after: { ID: 2, BODY: 'short', PICTURE: Buffer.from([1, 2]) } });
    // only the LOB changed: an update of the row carrying the LOB alone
    expect(changes[2]).toMatchObject({ before: { ID: 2 }, after: { ID: 2, BODY: `${BODY} (edited)` } });
    expect(changes[3]).toMatchObject({ after: { ID: 1, TITLE: 'renamed', BODY: BODY.toUpperCase() } });

    const copied = await snapshot(model);
    expect(copied).toEqual([{ ID: 1, TITLE: 'renamed', BODY: BODY.toUpperCase(), PICTURE }]);
  });

  it('stops on a LOB write whose locator selection it never saw, rather than guess the row', async () => {
    const model = docsModel();
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.DOCS']);
    const from = currentOffset(model);
    model.commit([{ op: 'insert', table: 'DOCS', row: doc('1', BODY, null) }]);
    const locator = model.redo.findIndex((record) => record.op === 9);
    model.redo.splice(locator, 1);
    await expect(readEvents(connection, from, { tables, until: dataEvents(1) })).rejects.toThrow(
      /LOB write without the locator selection/,
    );
  });
});
