import { describe, expect, it } from 'vitest';
import { translateDataType } from '../../../core/mappings/translate-data-type.js';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { defaultTargetType } from '../../../plugins/sqlserver/type-defaults.js';

/** [type, sizes, expected PostgreSQL type] */
type Case = readonly [string, { length?: number; precision?: number; scale?: number }, string];

const plugin = { defaultTargetType };

/** docs/synchdb-compatibility.md §4.6, SQL Server: all 38 entries, in its order. */
const SQLSERVER_MAP: readonly Case[] = [
  ['int|true', {}, 'serial'],
  ['bigint|true', {}, 'bigserial'],
  ['smallint|true', {}, 'smallserial'],
  ['enum', {}, 'text'],
  ['int', { length: 10 }, 'int'],
  ['bigint', {}, 'bigint'],
  ['smallint', {}, 'smallint'],
  ['tinyint', {}, 'smallint'],
  ['numeric', { precision: 18, scale: 4 }, 'numeric(18,4)'],
  ['decimal', { precision: 10, scale: 2 }, 'numeric(10,2)'],
  ['bit', { length: 1 }, 'bool'],
  ['bit', { length: 8 }, 'bit'],
  ['money', { precision: 19, scale: 4 }, 'money'],
  ['smallmoney', { precision: 10, scale: 4 }, 'money'],
  ['real', {}, 'real'],
  ['float', { precision: 53 }, 'real'],
  ['date', {}, 'date'],
  ['time', { precision: 3 }, 'time(3)'],
  ['datetime', { precision: 3 }, 'timestamp(3)'],
  ['datetime2', { precision: 7 }, 'timestamp(6)'],
  ['smalldatetime', {}, 'timestamp'],
  ['datetimeoffset', { precision: 5 }, 'timestamptz(5)'],
  ['char', { length: 10 }, 'char(10)'],
  ['varchar', { length: 255 }, 'varchar(255)'],
  ['text', { length: 2_147_483_647 }, 'text'],
  ['ntext', {}, 'text'],
  ['nchar', { length: 10 }, 'char(10)'],
  ['nvarchar', { length: 50 }, 'varchar(50)'],
  ['binary', { length: 16 }, 'bytea'],
  ['varbinary', { length: 255 }, 'bytea'],
  ['image', {}, 'bytea'],
  ['uniqueidentifier', {}, 'uuid'],
  ['xml', {}, 'xml'],
  ['json', {}, 'jsonb'],
  ['hierarchyid', {}, 'text'],
  ['vector', { length: 3 }, 'text'],
  ['geometry', {}, 'text'],
  ['geography', {}, 'text'],
];

/** The special rules, sizes given the ways SynchDB users give them, and types outside the map. */
const SQLSERVER_OTHER: readonly Case[] = [
  // Debezium names identity columns `int identity`.
  ['int identity', {}, 'serial'],
  ['bigint identity', {}, 'bigserial'],
  ['smallint identity', {}, 'smallserial'],
  ['tinyint identity', {}, 'smallint'],
  ['int|false', {}, 'int'],
  ['varchar|true', { length: 10 }, 'varchar(10)'],
  // A SQL Server bit is one bit.
  ['bit', {}, 'bool'],
  ['bit', { precision: 2 }, 'bit'],
  // Time-like targets: the fraction digits as precision, length, or Debezium's scale; capped at 6.
  ['time', { length: 7 }, 'time(6)'],
  ['time', {}, 'time'],
  ['datetime2', { length: 7, scale: 7 }, 'timestamp(6)'],
  ['datetime2', { precision: 6 }, 'timestamp(6)'],
  ['datetime2', { precision: 0 }, 'timestamp'],
  ['datetime', {}, 'timestamp'],
  ['smalldatetime', { precision: 1 }, 'timestamp(1)'],
  ['datetimeoffset', { precision: 7 }, 'timestamptz(6)'],
  ['datetimeoffset', {}, 'timestamptz'],
  // [keep] sizes, absent sizes and `max` (reported as unbounded).
  ['numeric', { length: 12, scale: 3 }, 'numeric(12,3)'],
  ['decimal', { precision: 9 }, 'numeric(9)'],
  ['decimal', {}, 'numeric'],
  ['varchar', { length: 2_147_483_647 }, 'varchar'],
  ['nvarchar', { length: -1 }, 'varchar'],
  ['char', {}, 'char'],
  ['varchar', { length: 20_000_000 }, 'varchar(10485760)'],
  // Fixed traps of §4.6: nchar keeps its length (above); rowversion is bytes, not a passed-through type.
  ['rowversion', { length: 8 }, 'bytea'],
  // Unmapped types pass through with their size.
  ['sql_variant', {}, 'sql_variant'],
  ['float8', { precision: 10, scale: 2 }, 'float8(10,2)'],
];

describe('SQL Server defaultTargetType', () => {
  it('covers the 38 entries of SynchDB’s SQL Server map', () => {
    expect(SQLSERVER_MAP).toHaveLength(38);
  });

  it.each(SQLSERVER_MAP)('maps SQL Server %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(plugin, { type, ...sizes })).toBe(expected);
  });

  it.each(SQLSERVER_OTHER)('maps SQL Server %s %j to %s', (type, sizes, expected) => {
    expect(translateDataType(plugin, { type, ...sizes })).toBe(expected);
  });

  it('reads a column as discover will report it: Debezium’s scale holds the fraction digits', () => {
    const column: SourceColumn = { name: 'at', position: 1, type: 'datetime2', nullable: true, scale: 7 };
    expect(defaultTargetType(column)).toBe('timestamp(6)');
    expect(defaultTargetType({ ...column, type: 'DateTimeOffset', scale: 3 })).toBe('timestamptz(3)');
    expect(defaultTargetType({ ...column, type: 'INT', autoIncrement: true })).toBe('serial');
  });
});
