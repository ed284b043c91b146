import { describe, expect, it } from 'vitest';
import { MemoryDatabase, parseOffset } from '../../../plugins/memory/index.js';

function shop(): MemoryDatabase {
  const database = new MemoryDatabase('shop');
  database.createTable('items', {
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
    ],
    primaryKey: ['id'],
  });
  return database;
}

const eventsOf = (database: MemoryDatabase, sequence: number) =>
  database.commitAfter(sequence - 1)?.events ?? [];

describe('memory database', () => {
  it('commits a transaction as one sequence number with its events in statement order', () => {
    const database = shop();
    database.createSlot('keep');
    const before = database.headSequence;

    database.transaction((tx) => {
      tx.insert('items', [
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
      ]);
      tx.delete('items', { id: 1 });
    });

    expect(database.headSequence).toBe(before + 1);
    expect(eventsOf(database, before + 1).map((event) => event.kind === 'change' && event.op)).toEqual([
      'insert',
      'insert',
      'delete',
    ]);
    expect(database.rows('items')).toEqual([{ id: 2, name: 'two' }]);
  });

  it('undoes every statement of a failed transaction and commits nothing', () => {
    const database = shop();
    database.insert('items', { id: 1, name: 'one' });
    const head = database.headSequence;

    expect(() =>
      database.transaction((tx) => {
        tx.update('items', { id: 1 }, { name: 'changed' });
        tx.addColumn('items', { name: 'note', type: 'text' });
        tx.createTable('extra', { columns: [{ name: 'a', type: 'integer' }] });
        tx.renameTable('items', 'goods');
        tx.insert('goods', { id: 1, name: 'duplicate' });
      }),
    ).toThrow('duplicate primary key (id)=(1) in shop.goods');

    expect(database.headSequence).toBe(head);
    expect(database.listTables().map((table) => table.ref.name)).toEqual(['items']);
    expect(database.table('items')?.columns.map((column) => column.name)).toEqual(['id', 'name']);
    expect(database.rows('items')).toEqual([{ id: 1, name: 'one' }]);
  });

  it('refuses an asynchronous transaction callback', () => {
    const database = shop();
    expect(() => database.transaction((async () => {}) as () => void)).toThrow(/must be synchronous/);
  });

  it('emits a SchemaChange before the rows written with the new shape', () => {
    const database = shop();
    database.createSlot('keep');
    const offset = database.transaction((tx) => {
      tx.addColumn('items', { name: 'note', type: 'varchar(10)' });
      tx.insert('items', { id: 1, name: 'one', note: 'hello' });
    });

    const [schema, row] = eventsOf(database, parseOffset(offset));
    expect(schema).toMatchObject({ kind: 'schema', action: 'alter' });
    expect(schema?.kind === 'schema' && schema.table.columns.at(-1)).toMatchObject({
      name: 'note',
      type: 'varchar',
      length: 10,
      position: 3,
    });
    expect(row).toMatchObject({ kind: 'change', after: { note: 'hello' } });
  });

  it('reads rows written before an added column with the column as null', () => {
    const database = shop();
    database.insert('items', { id: 1, name: 'one' });
    database.addColumn('items', { name: 'note', type: 'text' });
    expect(database.rows('items')).toEqual([{ id: 1, name: 'one', note: null }]);
  });

  it('forgets a dropped column, so adding it again starts empty', () => {
    const database = shop();
    database.addColumn('items', { name: 'note', type: 'text' });
    database.insert('items', { id: 1, name: 'one', note: 'old' });
    database.dropColumn('items', 'note');
    database.addColumn('items', { name: 'note', type: 'text' });
    expect(database.rows('items')).toEqual([{ id: 1, name: 'one', note: null }]);
  });

  it('logs a rename with the old name and a drop with the last definition', () => {
    const database = shop();
    database.createSlot('keep');
    const renamed = database.renameTable('items', 'goods');
    const dropped = database.dropTable('goods');

    expect(eventsOf(database, parseOffset(renamed))).toMatchObject([
      {
        action: 'rename',
        from: { name: 'items' },
        table: { ref: { database: 'shop', schema: null, name: 'goods' } },
      },
    ]);
    expect(eventsOf(database, parseOffset(dropped))).toMatchObject([
      { action: 'drop', table: { ref: { name: 'goods' } } },
    ]);
    expect(database.table('goods')).toBeUndefined();
  });

  it('moves a row whose primary key is updated and reports the full old row in before', () => {
    const database = shop();
    database.createSlot('keep');
    database.insert('items', [
      { id: 1, name: 'one' },
      { id: 5, name: 'five' },
    ]);
    const offset = database.update('items', { id: 1 }, { id: 9 });

    expect(database.rows('items')).toEqual([
      { id: 5, name: 'five' },
      { id: 9, name: 'one' },
    ]);
    expect(eventsOf(database, parseOffset(offset))).toMatchObject([
      { op: 'update', before: { id: 1, name: 'one' }, after: { id: 9, name: 'one' } },
    ]);
    expect(() => database.update('items', { id: 5 }, { id: 9 })).toThrow(/duplicate primary key/);
  });

  it('updates and deletes every matching row of a table without a primary key, keeping insertion order', () => {
    const database = new MemoryDatabase('log');
    database.createTable('lines', { columns: [{ name: 'text', type: 'text' }] });
    database.insert('lines', [{ text: 'b' }, { text: 'a' }, { text: 'b' }, { text: 'c' }]);

    database.update('lines', { text: 'b' }, { text: 'B' });
    database.delete('lines', { text: 'a' });

    expect(database.rows('lines')).toEqual([{ text: 'B' }, { text: 'B' }, { text: 'c' }]);
  });

  it('does not log a transaction that changed nothing', () => {
    const database = shop();
    const head = database.headSequence;
    database.transaction((tx) => void tx.delete('items', { id: 42 }));
    expect(database.headSequence).toBe(head);
  });

  it('rejects unknown tables and columns, null keys and nested transactions', () => {
    const database = shop();
    expect(() => database.insert('missing', { id: 1 })).toThrow('table shop.missing does not exist');
    expect(() => database.insert('items', { id: 1, colour: 'red' })).toThrow(
      'table items has no column colour',
    );
    expect(() => database.insert('items', { name: 'no key' })).toThrow('column id must not be null');
    expect(() => database.transaction(() => database.insert('items', { id: 1 }))).toThrow(/does not nest/);
    expect(database.rows('items')).toEqual([]);
  });
});
