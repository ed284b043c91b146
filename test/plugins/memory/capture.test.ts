import { describe, expect, it } from 'vitest';
import type { CaptureSession, Row, SourceTable } from '../../../core/plugin/index.js';
import { memoryFixture } from './memory-fixture.js';

async function readAll(
  capture: CaptureSession,
  table: SourceTable,
  afterKey?: readonly unknown[],
): Promise<Row[]> {
  const rows: Row[] = [];
  const options = { batchSize: 2, signal: new AbortController().signal, ...(afterKey ? { afterKey } : {}) };
  for await (const batch of capture.readTable(table, options)) rows.push(...batch);
  return rows;
}

describe('memory capture', () => {
  it('orders decimal keys by value and composite keys column by column', async () => {
    await using fixture = memoryFixture();
    const { database } = fixture;
    database.createTable('prices', {
      columns: [
        { name: 'region', type: 'text' },
        { name: 'amount', type: 'decimal(6,2)' },
      ],
      primaryKey: ['region', 'amount'],
    });
    database.insert('prices', [
      { region: 'b', amount: '10' },
      { region: 'a', amount: '9.5' },
      { region: 'a', amount: '-2' },
      { region: 'a', amount: '10.25' },
    ]);
    const connection = await fixture.connect();
    const [table] = await connection.discover([`${database.name}.prices`]);
    await using capture = await connection.startCapture([]);

    const rows = await readAll(capture, table as SourceTable);

    expect(rows.map((row) => `${row.region} ${row.amount}`)).toEqual([
      'a -2.00',
      'a 9.50',
      'a 10.25',
      'b 10.00',
    ]);
  });

  it('resumes after a key that went through JSON', async () => {
    await using fixture = memoryFixture();
    fixture.database.insert(
      'items',
      [1, 2, 3, 12].map((id) => ({ id, name: 'x' })),
    );
    const connection = await fixture.connect();
    const [table] = await connection.discover(null);
    await using capture = await connection.startCapture([]);

    const rows = await readAll(capture, table as SourceTable, ['2']);

    expect(rows.map((row) => row.id)).toEqual([3, 12]);
  });

  it('reads a table without a primary key in insertion order and refuses afterKey for it', async () => {
    await using fixture = memoryFixture();
    fixture.database.createTable('log', { columns: [{ name: 'line', type: 'text' }] });
    fixture.database.insert('log', [{ line: 'z' }, { line: 'a' }, { line: 'm' }]);
    const connection = await fixture.connect();
    const [table] = await connection.discover([`${fixture.database.name}.log`]);
    await using capture = await connection.startCapture([]);

    expect(await readAll(capture, table as SourceTable)).toEqual([
      { line: 'z' },
      { line: 'a' },
      { line: 'm' },
    ]);
    await expect(readAll(capture, table as SourceTable, ['a'])).rejects.toThrow(/has no primary key/);
  });

  it('hands out rows that readers cannot change', async () => {
    await using fixture = memoryFixture();
    fixture.database.insert('items', { id: 1, name: 'one' });
    const connection = await fixture.connect();
    const [table] = await connection.discover(null);
    await using capture = await connection.startCapture([]);

    const [row] = await readAll(capture, table as SourceTable);

    expect(() => Object.assign(row ?? {}, { name: 'changed by a reader' })).toThrow(TypeError);
    expect(fixture.database.rows('items')).toEqual([{ id: 1, name: 'one' }]);
  });

  it('keeps the pinned rows and shape while the table changes, is dropped or is altered', async () => {
    await using fixture = memoryFixture();
    fixture.database.insert('items', { id: 1, name: 'one' });
    const connection = await fixture.connect();
    const [table] = await connection.discover(null);
    await using capture = await connection.startCapture([]);

    fixture.database.addColumn('items', { name: 'note', type: 'text' });
    fixture.database.update('items', { id: 1 }, { note: 'later' });
    fixture.database.renameTable('items', 'renamed');

    expect(await readAll(capture, table as SourceTable)).toEqual([{ id: 1, name: 'one' }]);
  });

  it('refuses a table that did not exist at the start offset, a bad batch size, and reads after disposal', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    const [table] = (await connection.discover(null)) as [SourceTable];
    const capture = await connection.startCapture([]);
    const missing = { ...table, ref: { ...table.ref, name: 'later' } };
    const signal = new AbortController().signal;

    await expect(readAll(capture, missing)).rejects.toThrow(/did not exist at offset/);
    await expect(
      capture.readTable(table, { batchSize: 0, signal })[Symbol.asyncIterator]().next(),
    ).rejects.toThrow(RangeError);
    await capture[Symbol.asyncDispose]();
    await expect(readAll(capture, table)).rejects.toThrow(/session is closed/);
  });
});
