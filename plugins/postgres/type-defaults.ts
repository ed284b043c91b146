import type { SourceColumn } from '../../core/plugin/index.js';
import { MAX_BIT_LENGTH, withDigits, withFraction, withLength } from '../../core/plugin/kit.js';

/**
 * PostgreSQL to PostgreSQL is an identity map (docs/synchdb-compatibility.md §4.6, "Postgres source"): each
 * known type keeps its name; the types marked [keep] there keep their size too. Both PostgreSQL's own names
 * (`int4`, `varchar`) and the SQL names `discover` reports (`integer`, `character varying`) are known.
 */
const SAME_NAME = new Set([
  // built-in range and multirange types: values land as the same ranges (not text)
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
  'serial',
  'serial2',
  'serial4',
  'serial8',
  'smallint',
  'smallserial',
  'text',
  'tsquery',
  'tsvector',
  'txid_snapshot',
  'uuid',
  'xml',
]);

const CHARACTER_TYPES = new Set(['char', 'character', 'character varying', 'varchar']);
const BIT_TYPES = new Set(['bit', 'bit varying', 'varbit']);

const WITH_TIME_PRECISION = new Set([
  'time',
  'timetz',
  'time without time zone',
  'time with time zone',
  'timestamp',
  'timestamptz',
  'timestamp without time zone',
  'timestamp with time zone',
]);

const SERIAL_FOR: Readonly<Record<string, string>> = {
  smallint: 'smallserial',
  int2: 'smallserial',
  integer: 'serial',
  int: 'serial',
  int4: 'serial',
  bigint: 'bigserial',
  int8: 'bigserial',
};

/**
 * The PostgreSQL type a connector creates for a PostgreSQL column: the same type, with its size
 * where §4.6 keeps it (`character varying(20)`, `numeric(38,10)`, `timestamp(3) with time zone`,
 * `interval(6)`). Generated integers become `smallserial`/`serial`/`bigserial`; `decimal` becomes
 * `numeric`; `bpchar` becomes `character`; an array maps to an array of its element's type; an
 * unknown type (enum, composite, a range over a user-defined subtype, extension type) becomes
 * `text`, and an array of one `text[]`. Built-in ranges and multiranges keep their type.
 */
export function defaultTargetType(column: SourceColumn): string {
  const type = column.type.trim().toLowerCase();
  if (type.endsWith('[]')) {
    const element = defaultTargetType({ ...column, type: type.slice(0, -2), autoIncrement: false });
    return `${element}[]`;
  }
  if (column.autoIncrement) {
    const serial = SERIAL_FOR[type];
    if (serial !== undefined) return serial;
  }
  if (SAME_NAME.has(type)) return type;
  if (type === 'bpchar') return withLength('character', column.length);
  if (CHARACTER_TYPES.has(type)) return withLength(type, column.length);
  if (BIT_TYPES.has(type)) return withLength(type, column.length, MAX_BIT_LENGTH);
  if (type === 'numeric' || type === 'decimal') return withDigits('numeric', column, 0);
  if (type === 'interval' || WITH_TIME_PRECISION.has(type)) return withFraction(type, column.precision);
  return 'text';
}
