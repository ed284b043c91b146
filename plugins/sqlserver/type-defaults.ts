import type { SourceColumn } from '../../core/plugin/index.js';
import { passThrough, withDigits, withFraction, withLength } from '../../core/plugin/kit.js';

/** docs/synchdb-compatibility.md §4.6, SQL Server, identity (auto-increment) entries. */
const SERIAL_FOR: Readonly<Record<string, string>> = {
  int: 'serial',
  bigint: 'bigserial',
  smallint: 'smallserial',
};

/** docs/synchdb-compatibility.md §4.6, SQL Server, entries that emit no size. */
const UNSIZED: Readonly<Record<string, string>> = {
  enum: 'text',
  int: 'int',
  bigint: 'bigint',
  smallint: 'smallint',
  tinyint: 'smallint',
  money: 'money',
  smallmoney: 'money',
  real: 'real',
  float: 'real',
  date: 'date',
  text: 'text',
  ntext: 'text',
  binary: 'bytea',
  // Not in §4.6 (it passed through as an unknown type): row versions are 8 opaque bytes.
  rowversion: 'bytea',
  varbinary: 'bytea',
  image: 'bytea',
  uniqueidentifier: 'uuid',
  xml: 'xml',
  json: 'jsonb',
  hierarchyid: 'text',
  vector: 'text',
  geometry: 'text',
  geography: 'text',
};

/** docs/synchdb-compatibility.md §4.6, SQL Server, time-like entries: `(scale)` is appended, capped at 6. */
const TIME_LIKE: Readonly<Record<string, string>> = {
  time: 'time',
  datetime: 'timestamp',
  datetime2: 'timestamp',
  smalldatetime: 'timestamp',
  datetimeoffset: 'timestamptz',
};

/**
 * docs/synchdb-compatibility.md §4.6, SQL Server, decimal entries marked [keep]: precision and scale carry
 * over.
 */
const KEEP_DIGITS: Readonly<Record<string, string>> = {
  numeric: 'numeric',
  decimal: 'numeric',
};

/**
 * docs/synchdb-compatibility.md §4.6, SQL Server, character entries marked [keep]: the length carries over.
 */
const KEEP_LENGTH: Readonly<Record<string, string>> = {
  char: 'char',
  // §4.6 maps nchar to a bare `char`, i.e. char(1), which refuses nchar(10) values: keep the length.
  nchar: 'char',
  varchar: 'varchar',
  nvarchar: 'varchar',
};

/**
 * The PostgreSQL type a connector creates for a SQL Server column: docs/synchdb-compatibility.md §4.6's SQL
 * Server map (38 entries). Identity integers become `serial`/`bigserial`/`smallserial` (Debezium names them
 * `int identity`; `int|true` means the same); `bit` of length 1 (or no length: a SQL Server `bit` is one bit)
 * becomes `bool`; `numeric`/`decimal` keep their digits; `char`, `varchar` and `nvarchar` keep their length
 * (`varchar(max)`, reported as unbounded, gets none); time-like types get their fractional-second digits (the
 * scale, or the precision as `translateDataType` callers give it), capped at 6: `datetime2(7)` →
 * `timestamp(6)`, `datetimeoffset(3)` → `timestamptz(3)`. Types the map does not name pass through with their
 * size.
 */
export function defaultTargetType(column: SourceColumn): string {
  let type = column.type.trim().toLowerCase().replace(/\s+/g, ' ');
  let autoIncrement = column.autoIncrement === true;
  if (type.endsWith(' identity')) {
    type = type.slice(0, -' identity'.length);
    autoIncrement = true;
  }
  if (autoIncrement) {
    const serial = SERIAL_FOR[type];
    if (serial !== undefined) return serial;
  }
  if (type === 'bit') return (column.length ?? 1) === 1 ? 'bool' : 'bit';
  const unsized = UNSIZED[type];
  if (unsized !== undefined) return unsized;
  const time = TIME_LIKE[type];
  if (time !== undefined) return withFraction(time, column.scale ?? column.precision);
  const decimal = KEEP_DIGITS[type];
  if (decimal !== undefined) return withDigits(decimal, column);
  const character = KEEP_LENGTH[type];
  if (character !== undefined) return withLength(character, column.length);
  return passThrough(type, column);
}
