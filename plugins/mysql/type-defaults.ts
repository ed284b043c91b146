import type { SourceColumn } from '../../core/plugin/index.js';
import { MAX_BIT_LENGTH, passThrough, withDigits, withFraction, withLength } from '../../core/plugin/kit.js';

/** docs/synchdb-compatibility.md §4.6, MySQL, auto-increment entries. */
const SERIAL_FOR: Readonly<Record<string, string>> = {
  int: 'serial',
  'int unsigned': 'serial',
  mediumint: 'serial',
  'mediumint unsigned': 'serial',
  bigint: 'bigserial',
  'bigint unsigned': 'bigserial',
  smallint: 'smallserial',
  'smallint unsigned': 'smallserial',
  tinyint: 'smallserial',
  'tinyint unsigned': 'smallserial',
};

/** docs/synchdb-compatibility.md §4.6, MySQL, entries that emit no size. */
const UNSIZED: Readonly<Record<string, string>> = {
  enum: 'text',
  set: 'text',
  bigint: 'bigint',
  bool: 'boolean',
  double: 'double precision',
  'double precision': 'double precision',
  'double precision unsigned': 'double precision',
  'double unsigned': 'double precision',
  real: 'real',
  'real unsigned': 'real',
  float: 'real',
  'float unsigned': 'real',
  int: 'int',
  integer: 'int',
  'int unsigned': 'bigint',
  'integer unsigned': 'bigint',
  mediumint: 'int',
  'mediumint unsigned': 'int',
  year: 'int',
  'smallint unsigned': 'int',
  smallint: 'smallint',
  tinyint: 'smallint',
  'tinyint unsigned': 'smallint',
  binary: 'bytea',
  varbinary: 'bytea',
  blob: 'bytea',
  mediumblob: 'bytea',
  longblob: 'bytea',
  tinyblob: 'bytea',
  'long varchar': 'text',
  longtext: 'text',
  mediumtext: 'text',
  tinytext: 'text',
  json: 'jsonb',
  geometry: 'text',
  geometrycollection: 'text',
  geomcollection: 'text',
  linestring: 'text',
  multilinestring: 'text',
  multipoint: 'text',
  multipolygon: 'text',
  point: 'text',
  polygon: 'text',
};

/**
 * docs/synchdb-compatibility.md §4.6, MySQL, entries marked [keep]: the source precision and scale carry
 * over.
 */
const KEEP_DECIMAL: Readonly<Record<string, string>> = {
  'numeric unsigned': 'numeric',
  dec: 'decimal',
  'dec unsigned': 'decimal',
  'decimal unsigned': 'decimal',
  fixed: 'decimal',
  'fixed unsigned': 'decimal',
};

/**
 * docs/synchdb-compatibility.md §4.6, MySQL, temporal entries marked [keep]: the fractional-second digits
 * carry over.
 */
const KEEP_FRACTION: Readonly<Record<string, string>> = {
  datetime: 'timestamp',
  timestamp: 'timestamptz',
};

/**
 * The PostgreSQL type a connector creates for a MySQL/MariaDB column: docs/synchdb-compatibility.md §4.6's
 * MySQL map. Generated integers become `serial`/`bigserial`/`smallserial`; unsigned integers widen (`int
 * unsigned` → `bigint`; the core adds `CHECK (col >= 0)`); `bigint unsigned` becomes `numeric(20,0)`, which
 * holds 18446744073709551615; `bit(1)` becomes `boolean` and `bit(n)` keeps its width; `datetime(p)` →
 * `timestamp(p)`, `timestamp(p)` → `timestamptz(p)`; binary types → `bytea`; `enum`, `set`, long text and
 * geometry types → `text`; `json` → `jsonb`. Types the map does not name pass through with their size
 * (`varchar(255)`, `char(10)`, `decimal(65,30)`, `time(6)`, `date`, `text`); lengths are capped at
 * PostgreSQL's limits.
 */
export function defaultTargetType(column: SourceColumn): string {
  const type = column.type.trim().toLowerCase().replace(/\s+/g, ' ');
  if (column.autoIncrement) {
    const serial = SERIAL_FOR[type];
    if (serial !== undefined) return serial;
  }
  if (type === 'bit') return bitType(column.length);
  if (type === 'bigint unsigned') return 'numeric(20,0)';
  const unsized = UNSIZED[type];
  if (unsized !== undefined) return unsized;
  const decimal = KEEP_DECIMAL[type];
  if (decimal !== undefined) return withDigits(decimal, column);
  const temporal = KEEP_FRACTION[type];
  if (temporal !== undefined) return withFraction(temporal, column.precision);
  return passThrough(type, column);
}

/** MySQL's `bit` is `bit(1)` when no width is given. */
function bitType(length: number | null | undefined): string {
  const bits = length ?? 1;
  return bits <= 1 ? 'boolean' : withLength('bit', bits, MAX_BIT_LENGTH);
}
