import { describe, expect, it } from 'vitest';
import { translateDataType } from '../../../core/mappings/translate-data-type.js';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { defaultTargetType } from '../../../plugins/oracle/type-defaults.js';

/** [type, sizes, expected PostgreSQL type] */
type Case = readonly [string, { length?: number; precision?: number; scale?: number }, string];

const plugin = { defaultTargetType };

/** `number(p,0)` for p = 1..38, per SynchDB's ranges. */
const integerFor = (digits: number): string =>
  digits <= 4 ? 'smallint' : digits <= 9 ? 'int' : digits <= 18 ? 'bigint' : `numeric(${digits},0)`;
const NUMBER_DIGITS: readonly Case[] = Array.from({ length: 38 }, (_, index): Case => {
  const digits = index + 1;
  return ['number', { precision: digits }, integerFor(digits)];
});

/**
 * docs/synchdb-compatibility.md §4.6, Oracle: all 74 entries, in its order, counting number(0,0) and each
 * number(1..38,0) as SynchDB does, and its dead duplicate `date → date` (Tributary: timestamp).
 */
const ORACLE_MAP: readonly Case[] = [
  ['binary_double', {}, 'double precision'],
  ['binary_float', {}, 'real'],
  ['float', { precision: 126 }, 'real'],
  // number(0,0): no digits given.
  ['number', { precision: 0, scale: 0 }, 'numeric'],
  ...NUMBER_DIGITS,
  ['number', { precision: 10, scale: 2 }, 'numeric(10,2)'],
  ['numeric', { precision: 12, scale: 4 }, 'numeric(12,4)'],
  ['date', {}, 'timestamp'],
  ['long', {}, 'text'],
  ['interval day to second', { precision: 6 }, 'interval day to second(6)'],
  ['interval year to month', { precision: 2 }, 'interval year to month'],
  ['timestamp', { precision: 6 }, 'timestamp(6)'],
  ['timestamp with time zone', { precision: 6 }, 'timestamptz(6)'],
  ['timestamp with local time zone', { precision: 3 }, 'timestamptz(3)'],
  ['char', { length: 10 }, 'char(10)'],
  ['nchar', { length: 5 }, 'char(5)'],
  ['nvarchar2', { length: 100 }, 'varchar(100)'],
  ['varchar', { length: 30 }, 'varchar(30)'],
  ['varchar2', { length: 4000 }, 'varchar(4000)'],
  ['long raw', {}, 'bytea'],
  ['raw', { length: 16 }, 'bytea'],
  ['blob', {}, 'bytea'],
  ['decimal', { precision: 8, scale: 3 }, 'decimal(8,3)'],
  ['rowid', {}, 'text'],
  ['urowid', { length: 4000 }, 'text'],
  ['xmltype', {}, 'text'],
  ['bfile', {}, 'text'],
  ['clob', {}, 'text'],
  ['nclob', {}, 'text'],
  ['sdo_geometry', {}, 'text'],
  ['sdo_topo_geometry', {}, 'text'],
  ['sdo_georaster', {}, 'text'],
  ['uritype', {}, 'text'],
  ['anytype', {}, 'text'],
  ['anydata', {}, 'text'],
  ['anydataset', {}, 'text'],
  // SynchDB's later `date → date` entry never wins: a DATE has a time of day.
  ['date', { precision: 7 }, 'timestamp(6)'],
];

/** The special rules, sizes given the ways SynchDB users give them, and types outside the map. */
const ORACLE_OTHER: readonly Case[] = [
  // number(p,0) given as length, with an explicit zero scale, or at the range edges.
  ['number', { length: 4, scale: 0 }, 'smallint'],
  ['number', { length: 5 }, 'int'],
  ['number', { precision: 9, scale: 0 }, 'int'],
  ['number', { precision: 18 }, 'bigint'],
  ['number', { precision: 19 }, 'numeric(19,0)'],
  ['number', { precision: 38, scale: 0 }, 'numeric(38,0)'],
  ['number', {}, 'numeric'],
  ['number', { length: 5, scale: 2 }, 'numeric(5,2)'],
  ['numeric', { precision: 10 }, 'numeric(10)'],
  ['numeric', {}, 'numeric'],
  ['decimal', {}, 'decimal'],
  // Time-like [keep]: fraction digits carried over, capped at PostgreSQL's 6.
  ['timestamp', { precision: 9 }, 'timestamp(6)'],
  ['timestamp', {}, 'timestamp'],
  ['timestamp with time zone', {}, 'timestamptz'],
  ['interval day to second', {}, 'interval day to second'],
  ['date', { length: 3 }, 'timestamp(3)'],
  // Character [keep]: capped at PostgreSQL's limit; unbounded gets no size.
  ['varchar2', { length: 20_000_000 }, 'varchar(10485760)'],
  ['varchar2', { length: 2_147_483_647 }, 'varchar'],
  ['char', {}, 'char'],
  ['NVARCHAR2', { length: 8 }, 'varchar(8)'],
  // The auto-increment flag changes nothing in this map.
  ['number|true', { precision: 10 }, 'bigint'],
  // Unmapped types pass through with their size.
  ['integer', {}, 'integer'],
  ['binary_integer', { length: 10 }, 'binary_integer(10)'],
  ['json', {}, 'json'],
];

describe('Oracle defaultTargetType', () => {
  it('covers the 74 entries of SynchDB’s Oracle map', () => {
    expect(ORACLE_MAP).toHaveLength(74);
  });

  it.each(ORACLE_MAP)('maps Oracle %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(plugin, { type, ...sizes })).toBe(expected);
  });

  it.each(ORACLE_OTHER)('maps Oracle %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(plugin, { type, ...sizes })).toBe(expected);
  });

  const column = (type: string, sizes: Partial<SourceColumn> = {}): SourceColumn => ({
    name: 'c',
    position: 1,
    type,
    nullable: true,
    ...sizes,
  });

  it.each([
    ['interval day(3) to second(6)', { scale: 6 }, 'interval day to second(6)'],
    ['INTERVAL DAY(2) TO SECOND(9)', { scale: 9 }, 'interval day to second(6)'],
    ['interval year(2) to month', { scale: null }, 'interval year to month'],
    ['timestamp(6)', { scale: 6 }, 'timestamp(6)'],
    ['timestamp(3) with time zone', { scale: 3 }, 'timestamptz(3)'],
    ['timestamp(6) with local time zone', { length: 11, scale: 6 }, 'timestamptz(6)'],
    ['timestamp(0)', { scale: null }, 'timestamp'],
  ] as const)('strips the size embedded in %s and uses the scale %j: %s', (type, sizes, expected) => {
    expect(defaultTargetType(column(type, sizes))).toBe(expected);
  });

  it('reads number(p,0) as discover will report it: length p, scale 0', () => {
    expect(defaultTargetType(column('number', { length: 10, scale: 0 }))).toBe('bigint');
    expect(defaultTargetType(column('number', { length: 0, scale: 0 }))).toBe('numeric');
    expect(defaultTargetType(column('number', { precision: 12, scale: 2 }))).toBe('numeric(12,2)');
  });
});
