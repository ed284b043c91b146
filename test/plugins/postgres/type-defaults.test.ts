import { describe, expect, it } from 'vitest';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { defaultTargetType } from '../../../plugins/postgres/type-defaults.js';

const column = (type: string, sizes: Partial<SourceColumn> = {}): SourceColumn => ({
  name: 'c',
  position: 1,
  type,
  nullable: true,
  ...sizes,
});

describe('postgres type defaults', () => {
  it.each([
    'bigint',
    'boolean',
    'bytea',
    'date',
    'double precision',
    'integer',
    'jsonb',
    'json',
    'money',
    'real',
    'smallint',
    'text',
    'uuid',
    'inet',
    'xml',
    'tsvector',
    'pg_lsn',
    'point',
    'box',
    'circle',
    'cidr',
    'macaddr',
    'macaddr8',
    'tsquery',
    'int4range',
    'int8range',
    'numrange',
    'tsrange',
    'tstzrange',
    'daterange',
    'int4multirange',
    'int8multirange',
    'nummultirange',
    'tsmultirange',
    'tstzmultirange',
    'datemultirange',
    'jsonpath',
    'oid',
  ])('maps %s to itself', (type) => {
    expect(defaultTargetType(column(type))).toBe(type);
  });

  it('keeps the sizes §4.6 marks [keep]', () => {
    expect(defaultTargetType(column('character varying', { length: 20 }))).toBe('character varying(20)');
    expect(defaultTargetType(column('character', { length: 3 }))).toBe('character(3)');
    expect(defaultTargetType(column('bpchar', { length: 3 }))).toBe('character(3)');
    expect(defaultTargetType(column('bit varying', { length: 8 }))).toBe('bit varying(8)');
    expect(defaultTargetType(column('numeric', { precision: 38, scale: 10 }))).toBe('numeric(38,10)');
    expect(defaultTargetType(column('timestamp with time zone', { precision: 3 }))).toBe(
      'timestamp(3) with time zone',
    );
    expect(defaultTargetType(column('time without time zone', { precision: 0 }))).toBe(
      'time(0) without time zone',
    );
    expect(defaultTargetType(column('timestamptz', { precision: 3 }))).toBe('timestamptz(3)');
    expect(defaultTargetType(column('interval', { precision: 2 }))).toBe('interval(2)');
  });

  it('leaves out sizes the source did not declare', () => {
    expect(defaultTargetType(column('character varying'))).toBe('character varying');
    expect(defaultTargetType(column('numeric'))).toBe('numeric');
    expect(defaultTargetType(column('timestamp without time zone'))).toBe('timestamp without time zone');
  });

  it('maps decimal to numeric', () => {
    expect(defaultTargetType(column('decimal', { precision: 10, scale: 2 }))).toBe('numeric(10,2)');
  });

  it('maps generated integers to serial types', () => {
    expect(defaultTargetType(column('integer', { autoIncrement: true }))).toBe('serial');
    expect(defaultTargetType(column('bigint', { autoIncrement: true }))).toBe('bigserial');
    expect(defaultTargetType(column('smallint', { autoIncrement: true }))).toBe('smallserial');
  });

  it('maps arrays to arrays of the mapped element type', () => {
    expect(defaultTargetType(column('integer[]'))).toBe('integer[]');
    expect(defaultTargetType(column('character varying[]', { length: 10 }))).toBe('character varying(10)[]');
    expect(defaultTargetType(column('mood[]'))).toBe('text[]');
    expect(defaultTargetType(column('int4range[]'))).toBe('int4range[]');
  });

  it('maps unknown types to text', () => {
    expect(defaultTargetType(column('mood'))).toBe('text');
    expect(defaultTargetType(column('public.hstore'))).toBe('text');
  });
});
