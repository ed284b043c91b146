import type { SourceColumn } from '../../core/plugin/index.js';
import { passThrough, withDigits, withFraction, withLength } from '../../core/plugin/kit.js';

/** docs/synchdb-compatibility.md §4.6, Oracle, entries that emit no size. */
const UNSIZED: Readonly<Record<string, string>> = {
  binary_double: 'double precision',
  binary_float: 'real',
  float: 'real',
  long: 'text',
  'interval year to month': 'interval year to month',
  'long raw': 'bytea',
  raw: 'bytea',
  blob: 'bytea',
  rowid: 'text',
  urowid: 'text',
  xmltype: 'text',
  bfile: 'text',
  clob: 'text',
  nclob: 'text',
  sdo_geometry: 'text',
  sdo_topo_geometry: 'text',
  sdo_georaster: 'text',
  uritype: 'text',
  anytype: 'text',
  anydata: 'text',
  anydataset: 'text',
};

/**
 * docs/synchdb-compatibility.md §4.6, Oracle, time-like entries marked [keep]: the fractional-second digits
 * carry over. `date` → `timestamp` (an Oracle DATE has a time of day; SynchDB's later `date → date` entry is
 * a dead duplicate).
 */
const KEEP_FRACTION: Readonly<Record<string, string>> = {
  date: 'timestamp',
  timestamp: 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'timestamp with local time zone': 'timestamptz',
  'interval day to second': 'interval day to second',
};

/**
 * docs/synchdb-compatibility.md §4.6, Oracle, decimal entries marked [keep]: precision and scale carry over.
 */
const KEEP_DIGITS: Readonly<Record<string, string>> = {
  number: 'numeric',
  numeric: 'numeric',
  decimal: 'decimal',
};

/** docs/synchdb-compatibility.md §4.6, Oracle, character entries marked [keep]: the length carries over. */
const KEEP_LENGTH: Readonly<Record<string, string>> = {
  char: 'char',
  nchar: 'char',
  nvarchar2: 'varchar',
  varchar: 'varchar',
  varchar2: 'varchar',
};

/** A size written inside a type name: `timestamp(6)`, `interval day(3) to second(6)`. */
const EMBEDDED_SIZE = /\s*\(\s*\d+\s*(?:,\s*\d+\s*)?\)/g;

/**
 * The PostgreSQL type a connector creates for an Oracle column (LogMiner or OLR):
 * docs/synchdb-compatibility.md §4.6's Oracle map (74 entries, counting each `number(p,0)`).
 * `number(p)`/`number(p,0)` becomes `smallint` (p 1–4), `int` (5–9), `bigint` (10–18) or `numeric(p,0)`
 * (19–38); other `number`, `numeric` and `decimal` columns keep their digits; `date` and `timestamp` become
 * `timestamp`, the zoned timestamps `timestamptz`, all keeping their fractional-second digits (capped at 6);
 * `char`/`nchar` → `char` and `varchar`/`varchar2`/`nvarchar2` → `varchar` keep their length; raw and blob
 * types → `bytea`; LOB, rowid, XML, spatial and ANY types → `text`. A size embedded in the type name, as
 * Debezium reports it (`timestamp(6) with time zone`, `interval day(3) to second(6)`), is stripped and the
 * scale becomes the size. Types the map does not name pass through with their size.
 */
export function defaultTargetType(column: SourceColumn): string {
  const written = column.type.trim().toLowerCase().replace(/\s+/g, ' ');
  const type = written.replace(EMBEDDED_SIZE, '').replace(/\s+/g, ' ').trim();
  const sized = type === written ? column : { ...column, length: column.scale, precision: column.scale };
  const unsized = UNSIZED[type];
  if (unsized !== undefined) return unsized;
  if (type === 'number') {
    const integer = integerFor(sized);
    if (integer !== null) return integer;
  }
  const time = KEEP_FRACTION[type];
  if (time !== undefined) return withFraction(time, sized.precision ?? sized.length);
  const decimal = KEEP_DIGITS[type];
  if (decimal !== undefined) return withDigits(decimal, sized);
  const character = KEEP_LENGTH[type];
  if (character !== undefined) return withLength(character, sized.length);
  return passThrough(type, sized);
}

/** `number(p,0)` (or `number(p)`) by its digits; null when it has a scale or no digits. */
function integerFor(column: SourceColumn): string | null {
  if (column.scale != null && column.scale !== 0) return null;
  const digits = column.precision ?? column.length;
  if (digits == null || digits <= 0) return null;
  if (digits <= 4) return 'smallint';
  if (digits <= 9) return 'int';
  if (digits <= 18) return 'bigint';
  return `numeric(${digits},0)`;
}
