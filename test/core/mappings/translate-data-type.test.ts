import { describe, expect, it } from 'vitest';
import { describeColumn, translateDataType } from '../../../core/mappings/translate-data-type.js';
import { memoryPlugin } from '../../../plugins/memory/index.js';
import { mysqlPlugin } from '../../../plugins/mysql/index.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';

/** [type, sizes, expected PostgreSQL type] */
type Case = readonly [string, { length?: number; precision?: number; scale?: number }, string];

/** docs/synchdb-compatibility.md §4.6, MySQL: all 64 entries, in its order. */
const MYSQL_MAP: readonly Case[] = [
  ['int|true', {}, 'serial'],
  ['int unsigned|true', {}, 'serial'],
  ['mediumint|true', {}, 'serial'],
  ['mediumint unsigned|true', {}, 'serial'],
  ['bigint|true', {}, 'bigserial'],
  ['bigint unsigned|true', {}, 'bigserial'],
  ['smallint|true', {}, 'smallserial'],
  ['smallint unsigned|true', {}, 'smallserial'],
  ['tinyint|true', {}, 'smallserial'],
  ['tinyint unsigned|true', {}, 'smallserial'],
  ['enum', {}, 'text'],
  ['set', {}, 'text'],
  ['bigint', {}, 'bigint'],
  // The plugin sizes bigint unsigned so it holds 18446744073709551615 (SynchDB keeps the source size).
  ['bigint unsigned', { length: 20 }, 'numeric(20,0)'],
  ['numeric unsigned', { precision: 10, scale: 2 }, 'numeric(10,2)'],
  ['dec', { precision: 10, scale: 2 }, 'decimal(10,2)'],
  ['dec unsigned', { precision: 8, scale: 3 }, 'decimal(8,3)'],
  ['decimal unsigned', { precision: 12, scale: 4 }, 'decimal(12,4)'],
  ['fixed', { precision: 6, scale: 1 }, 'decimal(6,1)'],
  ['fixed unsigned', { precision: 6 }, 'decimal(6)'],
  ['bit', { length: 1 }, 'boolean'],
  ['bit', { length: 5 }, 'bit(5)'],
  ['bool', {}, 'boolean'],
  ['double', {}, 'double precision'],
  ['double precision', {}, 'double precision'],
  ['double precision unsigned', {}, 'double precision'],
  ['double unsigned', {}, 'double precision'],
  ['real', {}, 'real'],
  ['real unsigned', {}, 'real'],
  ['float', { precision: 10, scale: 2 }, 'real'],
  ['float unsigned', {}, 'real'],
  ['int', { length: 11 }, 'int'],
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
  ['timestamp', { precision: 6 }, 'timestamptz(6)'],
  ['binary', { length: 16 }, 'bytea'],
  ['varbinary', { length: 255 }, 'bytea'],
  ['blob', {}, 'bytea'],
  ['mediumblob', {}, 'bytea'],
  ['longblob', {}, 'bytea'],
  ['tinyblob', {}, 'bytea'],
  ['long varchar', {}, 'text'],
  ['longtext', { length: 4_294_967_295 }, 'text'],
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

/** MySQL types outside the map, and sizes given the ways SynchDB users give them. */
const MYSQL_OTHER: readonly Case[] = [
  ['int|false', {}, 'int'],
  ['varchar', { length: 255 }, 'varchar(255)'],
  ['char', { length: 10 }, 'char(10)'],
  ['varchar', { precision: 40 }, 'varchar(40)'],
  ['decimal', { precision: 10, scale: 2 }, 'decimal(10,2)'],
  ['decimal', { length: 10, scale: 2 }, 'decimal(10,2)'],
  ['decimal', { precision: 65, scale: 30 }, 'decimal(65,30)'],
  ['decimal', { precision: 10, scale: 0 }, 'decimal(10)'],
  ['datetime', { length: 3 }, 'timestamp(3)'],
  ['datetime', {}, 'timestamp'],
  ['timestamp', {}, 'timestamptz'],
  ['time', { precision: 6 }, 'time(6)'],
  ['date', {}, 'date'],
  ['text', { length: 2_147_483_647 }, 'text'],
  ['bit', {}, 'boolean'],
  ['bit', { precision: 8 }, 'bit(8)'],
  ['bit', { length: 0, precision: 64 }, 'bit(64)'],
  ['varchar', { length: -1 }, 'varchar'],
];

/** docs/synchdb-compatibility.md §4.6, Postgres source: an identity map, sizes kept where marked [keep]. */
const POSTGRES_MAP: readonly Case[] = [
  ...[
    'bigint',
    'bigserial',
    'bool',
    'boolean',
    'box',
    'bytea',
    'cidr',
    'circle',
    'date',
    'double precision',
    'float',
    'float4',
    'float8',
    'inet',
    'int',
    'int2',
    'int4',
    'int8',
    'integer',
    'json',
    'jsonb',
    'line',
    'lseg',
    'macaddr',
    'macaddr8',
    'money',
    'path',
    'pg_lsn',
    'pg_snapshot',
    'point',
    'polygon',
    'real',
    'smallint',
    'smallserial',
    'serial',
    'serial2',
    'serial4',
    'serial8',
    'text',
    'tsquery',
    'tsvector',
    'txid_snapshot',
    'uuid',
    'xml',
  ].map((type): Case => [type, {}, type]),
  ['bit', { length: 3 }, 'bit(3)'],
  ['bit varying', { length: 5 }, 'bit varying(5)'],
  ['varbit', { length: 7 }, 'varbit(7)'],
  ['char', { length: 4 }, 'char(4)'],
  ['character', { length: 4 }, 'character(4)'],
  ['character varying', { length: 20 }, 'character varying(20)'],
  ['varchar', { length: 20 }, 'varchar(20)'],
  ['varchar', {}, 'varchar'],
  ['numeric', { precision: 10, scale: 2 }, 'numeric(10,2)'],
  ['numeric', { precision: 10 }, 'numeric(10,0)'],
  ['numeric', {}, 'numeric'],
  ['interval', { precision: 6 }, 'interval(6)'],
  ['time', { precision: 3 }, 'time(3)'],
  ['timetz', { precision: 3 }, 'timetz(3)'],
  ['time without time zone', { precision: 3 }, 'time(3) without time zone'],
  ['time with time zone', { precision: 3 }, 'time(3) with time zone'],
  ['timestamp', { precision: 3 }, 'timestamp(3)'],
  ['timestamptz', { precision: 3 }, 'timestamptz(3)'],
  ['timestamp without time zone', { precision: 6 }, 'timestamp(6) without time zone'],
  ['timestamp with time zone', {}, 'timestamp with time zone'],
  // Tributary's fixes and additions to SynchDB's map.
  ['decimal', { precision: 12, scale: 4 }, 'numeric(12,4)'],
  ['bpchar', { length: 2 }, 'character(2)'],
  ['integer|true', {}, 'serial'],
  ['bigint|true', {}, 'bigserial'],
  ['smallint|true', {}, 'smallserial'],
  ['integer[]', {}, 'integer[]'],
  ['character varying[]', { length: 10 }, 'character varying(10)[]'],
  ['mood', {}, 'text'],
];

const MEMORY_MAP: readonly Case[] = [
  ['integer', {}, 'integer'],
  ['bigint', {}, 'bigint'],
  ['text', {}, 'text'],
  ['boolean', {}, 'boolean'],
  ['timestamp', {}, 'timestamp'],
  ['timestamptz', {}, 'timestamptz'],
  ['varchar', { length: 20 }, 'varchar(20)'],
  ['varchar', {}, 'varchar'],
  ['decimal', { precision: 10, scale: 2 }, 'numeric(10,2)'],
  ['decimal', { precision: 10 }, 'numeric(10,0)'],
  ['json', {}, 'jsonb'],
  ['bytes', {}, 'bytea'],
  ['uuid', {}, 'text'],
];

describe('translateDataType', () => {
  it('covers the 64 entries of SynchDB’s MySQL map', () => {
    expect(MYSQL_MAP).toHaveLength(64);
  });

  it.each(MYSQL_MAP)('maps MySQL %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(mysqlPlugin, { type, ...sizes })).toBe(expected);
  });

  it.each(MYSQL_OTHER)('maps MySQL %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(mysqlPlugin, { type, ...sizes })).toBe(expected);
  });

  it.each(POSTGRES_MAP)('maps PostgreSQL %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(postgresPlugin, { type, ...sizes })).toBe(expected);
  });

  it.each(MEMORY_MAP)('maps memory %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(memoryPlugin, { type, ...sizes })).toBe(expected);
  });

  it('matches type names whatever their case and spacing', () => {
    expect(translateDataType(mysqlPlugin, { type: '  INT   Unsigned ' })).toBe('bigint');
    expect(translateDataType(mysqlPlugin, { type: 'BigInt|TRUE' })).toBe('bigserial');
    expect(translateDataType(postgresPlugin, { type: 'Timestamp  With Time Zone', precision: 3 })).toBe(
      'timestamp(3) with time zone',
    );
    expect(translateDataType(memoryPlugin, { type: 'VARCHAR', length: 8 })).toBe('varchar(8)');
  });
});

describe('describeColumn', () => {
  it('sets the auto-increment and unsigned flags from the type name', () => {
    expect(describeColumn({ type: 'int unsigned|true' })).toMatchObject({
      type: 'int unsigned',
      autoIncrement: true,
      unsigned: true,
    });
    expect(describeColumn({ type: 'int|false' })).toMatchObject({ autoIncrement: false, unsigned: false });
  });

  it('treats zero, negative and 2^31-1 or larger sizes as not given', () => {
    expect(describeColumn({ type: 'text', length: 2_147_483_647, precision: 0, scale: -1 })).toMatchObject({
      length: null,
      precision: null,
      scale: null,
    });
  });

  it('uses the precision as the length when no length is given, and the reverse', () => {
    expect(describeColumn({ type: 'bit', length: -1, precision: 8 })).toMatchObject({
      length: 8,
      precision: 8,
    });
    expect(describeColumn({ type: 'datetime', length: 6 })).toMatchObject({ length: 6, precision: 6 });
  });

  it('gives a decimal digits and scale but no length', () => {
    expect(describeColumn({ type: 'decimal', length: 10, scale: 2 })).toMatchObject({
      length: null,
      precision: 10,
      scale: 2,
    });
  });

  it.each([
    [{ type: '' }, /type must name/],
    [{ type: '   ' }, /type must name/],
    [{ type: '|true' }, /type must name/],
    [{ type: 'varchar(20)' }, /has a size in it/],
    [{ type: 'int|yes' }, /unknown flag/],
    [{ type: 'x'.repeat(201) }, /at most 200/],
    [{ type: 'decimal', precision: 5, scale: 6 }, /scale 6 is larger than the precision 5/],
    [{ type: 'decimal', scale: 2 }, /scale 2 needs a precision/],
    [{ type: 'varchar', length: 1.5 }, /length must be a whole number/],
  ])('rejects %j as INVALID_INPUT', (input, message) => {
    expect(() => describeColumn(input)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }),
    );
  });
});
