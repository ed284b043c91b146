import { describe, expect, it } from 'vitest';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { type ColumnSpec, sourceColumn } from '../../../plugins/mysql/schema/column-types.js';
import { defaultTargetType } from '../../../plugins/mysql/type-defaults.js';

const column = (type: string, sizes: Partial<SourceColumn> = {}): SourceColumn => ({
  name: 'c',
  position: 1,
  type,
  nullable: true,
  ...sizes,
});

/** docs/synchdb-compatibility.md §4.6, MySQL: the ten auto-increment entries. */
const AUTO_INCREMENT: readonly [string, string][] = [
  ['int', 'serial'],
  ['int unsigned', 'serial'],
  ['mediumint', 'serial'],
  ['mediumint unsigned', 'serial'],
  ['bigint', 'bigserial'],
  ['bigint unsigned', 'bigserial'],
  ['smallint', 'smallserial'],
  ['smallint unsigned', 'smallserial'],
  ['tinyint', 'smallserial'],
  ['tinyint unsigned', 'smallserial'],
];

/** docs/synchdb-compatibility.md §4.6, MySQL: the 54 other entries, with sizes where the entry keeps them. */
const PLAIN: readonly [string, Partial<SourceColumn>, string][] = [
  ['enum', {}, 'text'],
  ['set', {}, 'text'],
  ['bigint', {}, 'bigint'],
  ['bigint unsigned', {}, 'numeric(20,0)'],
  ['numeric unsigned', { precision: 12, scale: 3 }, 'numeric(12,3)'],
  ['dec', { precision: 10, scale: 2 }, 'decimal(10,2)'],
  ['dec unsigned', { precision: 10, scale: 0 }, 'decimal(10,0)'],
  ['decimal unsigned', { precision: 65, scale: 30 }, 'decimal(65,30)'],
  ['fixed', { precision: 8, scale: 4 }, 'decimal(8,4)'],
  ['fixed unsigned', { precision: 8, scale: 4 }, 'decimal(8,4)'],
  ['bit', { length: 1 }, 'boolean'],
  ['bit', { length: 64 }, 'bit(64)'],
  ['bool', {}, 'boolean'],
  ['double', {}, 'double precision'],
  ['double precision', {}, 'double precision'],
  ['double precision unsigned', {}, 'double precision'],
  ['double unsigned', {}, 'double precision'],
  ['real', {}, 'real'],
  ['real unsigned', {}, 'real'],
  ['float', {}, 'real'],
  ['float unsigned', {}, 'real'],
  ['int', {}, 'int'],
  ['integer', {}, 'int'],
  ['int unsigned', {}, 'bigint'],
  ['integer unsigned', {}, 'bigint'],
  ['mediumint', {}, 'int'],
  ['mediumint unsigned', {}, 'int'],
  ['year', {}, 'int'],
  ['smallint unsigned', {}, 'int'],
  ['smallint', {}, 'smallint'],
  ['tinyint', {}, 'smallint'],
  ['tinyint unsigned', {}, 'smallint'],
  ['datetime', { precision: 6 }, 'timestamp(6)'],
  ['timestamp', { precision: 3 }, 'timestamptz(3)'],
  ['binary', { length: 16 }, 'bytea'],
  ['varbinary', { length: 255 }, 'bytea'],
  ['blob', {}, 'bytea'],
  ['mediumblob', {}, 'bytea'],
  ['longblob', {}, 'bytea'],
  ['tinyblob', {}, 'bytea'],
  ['long varchar', {}, 'text'],
  ['longtext', {}, 'text'],
  ['mediumtext', {}, 'text'],
  ['tinytext', {}, 'text'],
  ['json', {}, 'jsonb'],
  ['geometry', {}, 'text'],
  ['geometrycollection', {}, 'text'],
  ['geomcollection', {}, 'text'],
  ['linestring', {}, 'text'],
  ['multilinestring', {}, 'text'],
  ['multipoint', {}, 'text'],
  ['multipolygon', {}, 'text'],
  ['point', {}, 'text'],
  ['polygon', {}, 'text'],
];

describe('mysql type defaults', () => {
  it('covers the 64 entries of the MySQL map', () => {
    expect(AUTO_INCREMENT.length + PLAIN.length).toBe(64);
  });

  it.each(AUTO_INCREMENT)('maps auto-increment %s to %s', (type, expected) => {
    expect(defaultTargetType(column(type, { autoIncrement: true }))).toBe(expected);
  });

  it.each(PLAIN)('maps %s %o to %s', (type, sizes, expected) => {
    expect(defaultTargetType(column(type, sizes))).toBe(expected);
  });

  it('passes unmapped types through with their declared size', () => {
    expect(defaultTargetType(column('varchar', { length: 255 }))).toBe('varchar(255)');
    expect(defaultTargetType(column('char', { length: 10 }))).toBe('char(10)');
    expect(defaultTargetType(column('decimal', { precision: 65, scale: 30 }))).toBe('decimal(65,30)');
    expect(defaultTargetType(column('time', { precision: 6 }))).toBe('time(6)');
    expect(defaultTargetType(column('time', { precision: 0 }))).toBe('time(0)');
    expect(defaultTargetType(column('date'))).toBe('date');
    expect(defaultTargetType(column('text'))).toBe('text');
  });

  it('leaves out sizes the source did not report', () => {
    expect(defaultTargetType(column('datetime'))).toBe('timestamp');
    expect(defaultTargetType(column('timestamp'))).toBe('timestamptz');
    expect(defaultTargetType(column('decimal'))).toBe('decimal');
    expect(defaultTargetType(column('varchar'))).toBe('varchar');
  });

  it('treats a bit without a width as bit(1)', () => {
    expect(defaultTargetType(column('bit'))).toBe('boolean');
    expect(defaultTargetType(column('bit', { length: 2 }))).toBe('bit(2)');
  });

  it("caps lengths at PostgreSQL's limits and raises zero lengths to one", () => {
    expect(defaultTargetType(column('varchar', { length: 20_000_000 }))).toBe('varchar(10485760)');
    expect(defaultTargetType(column('char', { length: 0 }))).toBe('char(1)');
    expect(defaultTargetType(column('bit', { length: 100_000_000 }))).toBe('bit(83886080)');
  });

  it('uses the plain map for auto-increment columns of other types', () => {
    expect(defaultTargetType(column('decimal', { autoIncrement: true, precision: 10, scale: 0 }))).toBe(
      'decimal(10,0)',
    );
    expect(defaultTargetType(column('double', { autoIncrement: true }))).toBe('double precision');
  });

  it('reads type names case-insensitively', () => {
    expect(defaultTargetType(column('INT UNSIGNED'))).toBe('bigint');
    expect(defaultTargetType(column('Double  Precision'))).toBe('double precision');
  });

  it('maps columns as sourceColumn describes them from information_schema', () => {
    const spec = (dataType: string, fields: Partial<ColumnSpec> = {}): ColumnSpec => ({
      name: 'c',
      position: 1,
      dataType,
      unsigned: false,
      charLength: null,
      numericPrecision: null,
      numericScale: null,
      datetimePrecision: null,
      nullable: true,
      autoIncrement: false,
      ...fields,
    });
    const mapped = (fields: ColumnSpec) => defaultTargetType(sourceColumn(fields));
    expect(mapped(spec('bigint', { unsigned: true, numericPrecision: 20, numericScale: 0 }))).toBe(
      'numeric(20,0)',
    );
    expect(mapped(spec('int', { unsigned: true, autoIncrement: true }))).toBe('serial');
    expect(mapped(spec('decimal', { unsigned: true, numericPrecision: 10, numericScale: 2 }))).toBe(
      'decimal(10,2)',
    );
    expect(mapped(spec('bit', { numericPrecision: 1 }))).toBe('boolean');
    expect(mapped(spec('bit', { numericPrecision: 12 }))).toBe('bit(12)');
    expect(mapped(spec('varchar', { charLength: 255 }))).toBe('varchar(255)');
    expect(mapped(spec('binary', { charLength: 16 }))).toBe('bytea');
    expect(mapped(spec('datetime', { datetimePrecision: 0 }))).toBe('timestamp(0)');
    expect(mapped(spec('timestamp', { datetimePrecision: 6 }))).toBe('timestamptz(6)');
    expect(mapped(spec('time', { datetimePrecision: 3 }))).toBe('time(3)');
    expect(mapped(spec('longtext', { json: true }))).toBe('jsonb');
    expect(mapped(spec('geomcollection'))).toBe('text');
  });
});
