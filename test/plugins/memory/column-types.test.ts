import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../../plugins/memory/index.js';

function tableOf(type: string): MemoryDatabase {
  const database = new MemoryDatabase('types');
  database.createTable('t', {
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'v', type },
    ],
    primaryKey: ['id'],
  });
  return database;
}

function stored(type: string, value: unknown): unknown {
  const database = tableOf(type);
  database.insert('t', { id: 1, v: value });
  return database.rows('t')[0]?.v;
}

describe('memory column types', () => {
  it('reads sizes from the type into the column description', () => {
    const database = new MemoryDatabase('types');
    database.createTable('t', {
      columns: [
        { name: 'a', type: 'varchar(20)' },
        { name: 'b', type: 'decimal(10,2)' },
        { name: 'c', type: 'DECIMAL(5)' },
        { name: 'd', type: 'text', nullable: false },
      ],
    });
    expect(database.table('t')?.columns).toEqual([
      { name: 'a', position: 1, type: 'varchar', nullable: true, length: 20 },
      { name: 'b', position: 2, type: 'decimal', nullable: true, precision: 10, scale: 2 },
      { name: 'c', position: 3, type: 'decimal', nullable: true, precision: 5, scale: 0 },
      { name: 'd', position: 4, type: 'text', nullable: false },
    ]);
  });

  it('rejects unreadable types, sizes on unsized types and duplicate columns', () => {
    const database = new MemoryDatabase('types');
    const create = (columns: { name: string; type: string }[]) => () =>
      database.createTable('t', { columns });
    expect(create([{ name: 'a', type: 'varchar(' }])).toThrow('column a: cannot read type "varchar("');
    expect(create([{ name: 'a', type: 'integer(4)' }])).toThrow(/only varchar and decimal take a size/);
    expect(
      create([
        { name: 'a', type: 'text' },
        { name: 'a', type: 'text' },
      ]),
    ).toThrow(/declared twice/);
  });

  it('keeps exact numerics as decimal strings, padded to the scale', () => {
    expect(stored('decimal(10,2)', '12.5')).toBe('12.50');
    expect(stored('decimal(10,2)', 3)).toBe('3.00');
    expect(stored('decimal', '0012.345')).toBe('12.345');
    expect(stored('bigint', 9007199254740993n)).toBe('9007199254740993');
  });

  it('refuses numbers the column cannot hold exactly', () => {
    expect(() => stored('decimal(10,2)', '1.234')).toThrow(/more than 2 decimal places/);
    expect(() => stored('decimal(4,2)', '123.4')).toThrow(/more than 2 digits before the point/);
    expect(() => stored('integer', 1.5)).toThrow(/expected a whole number/);
    expect(() => stored('integer', 2 ** 31)).toThrow(/out of 32-bit range/);
  });

  it('stores timestamps as text, instants as Date, bytes as Buffer and JSON as a copy', () => {
    const document = { tags: ['a'] };
    const json = stored('json', document);
    document.tags.push('b');

    expect(stored('timestamp', '2024-01-02T03:04:05.5')).toBe('2024-01-02 03:04:05.5');
    expect(stored('timestamptz', '2024-01-02T03:04:05Z')).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(stored('bytes', new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2]));
    expect(json).toEqual({ tags: ['a'] });
  });

  it('enforces varchar length and value kinds', () => {
    expect(() => stored('varchar(3)', 'long')).toThrow(/longer than 3/);
    expect(() => stored('boolean', 'yes')).toThrow('column v (boolean) cannot hold "yes"');
    expect(() => stored('timestamp', 'yesterday')).toThrow(/expected YYYY-MM-DD HH:MM:SS/);
    expect(() => stored('timestamptz', 'never')).toThrow(/expected an instant/);
  });

  it('stores values of unknown types as given', () => {
    expect(stored('geometry', 'POINT(1 2)')).toBe('POINT(1 2)');
  });
});
