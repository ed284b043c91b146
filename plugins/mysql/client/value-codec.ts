import type { TableMapEntry } from '@vlasky/zongji';
import type { ConnectionOptions } from 'mysql2';
import type { SourceColumn, SourceValue } from '../../../core/plugin/index.js';

/**
 * Values from the snapshot (mysql2 text protocol) and from the binary log (ZongJi row images)
 * normalised to one SourceValue form, so a row reads the same whichever way it arrived:
 * - signed tinyint…int → number; bigint and every unsigned integer → decimal string; decimal →
 *   its exact decimal string; double → number; float → number rounded to 6 significant digits,
 *   ties to even (what MariaDB prints; a float's binlog image holds more digits than a SELECT);
 * - bit(1) → boolean; bit(n) → a string of exactly n '0'/'1' characters; year → number;
 * - date → 'YYYY-MM-DD'; datetime(p) → 'YYYY-MM-DD HH:MM:SS[.f]'; timestamp(p) → the same in UTC
 *   with '+00'; zero dates (a zero year, month or day) → null, or the epoch for NOT NULL columns
 *   (as Debezium does); time → 'HH:MM:SS[.f]' as MySQL prints it, negative or past 24h ones too
 *   (PostgreSQL's `time` rejects those, and the row fails there);
 * - text → string; binary types → Buffer (binary(n) keeps its zero padding); enum → its label; set
 *   → the comma-joined labels;
 * - json → the document's JSON text (jsonb parses it; big numbers inside stay exact);
 * - geometry → `{"wkb":"<base64 WKB>","srid":n}` JSON text, the form SynchDB receives from
 *   Debezium (the binlog carries no WKT).
 * Limits: `float(m,d)` / `double(m,d)` columns print with d fixed decimals in a SELECT, so their
 * snapshot and binlog values can differ in the last digits.
 */

/** One column's converter from the driver's value to the core's. */
export type ValueDecoder = (raw: unknown) => SourceValue;

type TypeCastFunction = Exclude<NonNullable<ConnectionOptions['typeCast']>, boolean>;

/** mysql2 options for snapshot sessions: exact numbers and dates as text, JSON as text. */
export const SNAPSHOT_CONNECTION_OPTIONS = {
  charset: 'UTF8MB4_GENERAL_CI',
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
  dateStrings: true,
  jsonStrings: true,
  timezone: 'Z',
} as const satisfies ConnectionOptions;

/** Run first on every snapshot session: timestamps are then printed in UTC. */
export const SNAPSHOT_SESSION_STATEMENTS: readonly string[] = ["SET time_zone = '+00:00'"];

/** mysql2 options for ZongJi's connections: dates as text, timestamps in UTC, exact decimals, JSON as text. */
export const BINLOG_CONNECTION_OPTIONS = SNAPSHOT_CONNECTION_OPTIONS;

/** mysql2 `typeCast` for snapshot queries: geometry as its stored bytes, everything else as the options say. */
export const snapshotTypeCast: TypeCastFunction = (field, next) =>
  field.type === 'GEOMETRY' ? field.buffer() : next();

/** Converters for snapshot values (rows read with `snapshotTypeCast`), one per column in order. */
export function columnDecoders(columns: readonly SourceColumn[]): ValueDecoder[] {
  return columns.map((column) => decoderFor(column, false));
}

/** Converters for ZongJi row-image values, one per column in order. */
export function binlogDecoders(columns: readonly SourceColumn[]): ValueDecoder[] {
  return columns.map((column) => decoderFor(column, true));
}

const ZONGJI_GEOMETRY = 255;
const ZONGJI_BLOB = 252;

/**
 * Adjusts ZongJi's decoding of one table; call it on every `tablemap` event with
 * `event.tableMap[event.tableId]`, before the table's row events arrive. Geometry then comes as its
 * stored bytes (ZongJi otherwise parses it to `{x, y}` objects, losing the SRID and the geometry
 * type), and enum/set labels are read from the column definition with quotes and commas handled
 * (ZongJi splits it at every comma unless the server logs `binlog_row_metadata=FULL`).
 */
export function adaptTableMap(entry: TableMapEntry | undefined): void {
  if (!entry) return;
  for (const column of entry.columns ?? []) {
    if (column.type === ZONGJI_GEOMETRY) {
      column.type = ZONGJI_BLOB;
      column.charset = null;
    }
  }
  for (const schema of entry.columnSchemas) {
    const definition = schema.COLUMN_TYPE;
    if (definition.startsWith('enum(')) schema.ENUM_VALUES ??= quotedLabels(definition);
    else if (definition.startsWith('set(')) schema.SET_VALUES ??= quotedLabels(definition);
  }
}

function quotedLabels(definition: string): string[] {
  return Array.from(definition.matchAll(/'((?:[^']|'')*)'/g), (match) =>
    (match[1] ?? '').replaceAll("''", "'"),
  );
}

/** Types both drivers already deliver in final form: text, binary data, decimal strings, set labels, JSON text. */
const AS_READ = new Set([
  'char',
  'varchar',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'set',
  'json',
  'decimal',
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
]);
const SMALL_INTEGER = new Set(['tinyint', 'smallint', 'mediumint', 'int']);
/** MySQL's spatial types: their values are read as bytes (WKB with its SRID), see `geometryJson`. */
export const GEOMETRY_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
]);

function decoderFor(column: SourceColumn, binlog: boolean): ValueDecoder {
  const base = column.type.replace(/ unsigned$/, '');
  const unsigned = column.unsigned === true || base !== column.type;
  if (AS_READ.has(base)) return same;
  if (SMALL_INTEGER.has(base)) return unsigned ? decimalText : same;
  if (GEOMETRY_TYPES.has(base)) return geometryJson;
  switch (base) {
    case 'bigint':
      return decimalText;
    case 'float':
      return floatNumber;
    case 'double':
      return doubleNumber;
    case 'bit': {
      const width = column.length ?? 1;
      return width <= 1 ? bitBoolean : bitString(width);
    }
    case 'year':
      return binlog ? binlogYear : same;
    case 'date':
      return dateText(column, '1970-01-01', '');
    case 'datetime':
      return dateText(column, '1970-01-01 00:00:00', '');
    case 'timestamp': {
      const decode = dateText(column, '1970-01-01 00:00:00+00', '+00');
      return binlog ? binlogTimestamp(decode) : decode;
    }
    case 'time':
      return binlog ? binlogTime : same;
    case 'enum':
      // ZongJi yields undefined for the '' value MySQL stores for an invalid label (index 0).
      return binlog ? (raw) => (raw === undefined ? '' : (raw as SourceValue)) : same;
    default:
      return same;
  }
}

const same: ValueDecoder = (raw) => (raw === undefined ? null : (raw as SourceValue));

const decimalText: ValueDecoder = (raw) => (raw == null ? null : typeof raw === 'string' ? raw : String(raw));

const doubleNumber: ValueDecoder = (raw) => {
  if (raw == null) return null;
  const value = Number(raw);
  return value === 0 ? 0 : value;
};

const floatNumber: ValueDecoder = (raw) => (raw == null ? null : toFloatDigits(Number(raw)));

/** Rounds to the 6 significant digits (FLT_DIG) MariaDB prints for a FLOAT, ties to even as it does. */
export function toFloatDigits(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? 0 : value;
  const seven = value.toExponential(6);
  const e = seven.indexOf('e');
  if (seven[e - 1] === '5' && /^-?\d\.\d{5}50*e/.test(value.toExponential(100))) {
    const sixth = Number(seven[e - 2]);
    if (sixth % 2 === 0) return Number(seven.slice(0, e - 1) + seven.slice(e));
  }
  return Number(value.toExponential(5));
}

const BYTE_BITS = Array.from({ length: 256 }, (_, byte) => byte.toString(2).padStart(8, '0'));

const bitBoolean: ValueDecoder = (raw) => {
  if (raw == null) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') return Boolean(raw);
  const bytes = raw as Buffer;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0;
};

function bitString(width: number): ValueDecoder {
  return (raw) => {
    if (raw == null) return null;
    let bits = '';
    for (const byte of raw as Buffer) bits += BYTE_BITS[byte];
    return bits.length >= width ? bits.slice(bits.length - width) : bits.padStart(width, '0');
  };
}

/** ZongJi adds 1900 to the stored year byte, so YEAR 0000 comes as 1900 (not a valid YEAR). */
const binlogYear: ValueDecoder = (raw) => (raw === 1900 ? 0 : same(raw));

function isZeroDate(text: string): boolean {
  return text.startsWith('0000') || text.startsWith('00', 5) || text.startsWith('00', 8);
}

function dateText(column: SourceColumn, epoch: string, suffix: string): ValueDecoder {
  const zero = column.nullable ? null : epoch;
  return (raw) => {
    if (raw == null) return null;
    const text = raw as string;
    return isZeroDate(text) ? zero : suffix === '' ? text : text + suffix;
  };
}

/**
 * ZongJi reads a TIMESTAMP's seconds as a signed 32-bit number, so values past 2038-01-19 03:14:07
 * (MariaDB 11.5+) come out in 1901; they are moved forward by 2^32 seconds.
 */
function binlogTimestamp(decode: ValueDecoder): ValueDecoder {
  return (raw) => {
    if (typeof raw === 'string' && raw < '1970' && !raw.startsWith('0000')) {
      const fraction = raw.slice(19);
      const wrapped = Date.parse(`${raw.slice(0, 10)}T${raw.slice(11, 19)}Z`) + 2 ** 32 * 1000;
      return decode(`${new Date(wrapped).toISOString().slice(0, 19).replace('T', ' ')}${fraction}`);
    }
    return decode(raw);
  };
}

/**
 * ZongJi decodes a negative TIME with no fractional part one second short and then adds the second
 * back without carrying: '-12:00:00' comes as '-11:63:64' (TIME2) or '-11:99:100' (the pre-5.6
 * format). The carry is redone in the format's own radix.
 */
const binlogTime: ValueDecoder = (raw) => {
  if (typeof raw !== 'string' || !raw.startsWith('-')) return same(raw);
  const dot = raw.indexOf('.');
  const [hours = 0, minutes = 0, seconds = 0] = raw
    .slice(1, dot === -1 ? undefined : dot)
    .split(':')
    .map(Number);
  if (seconds !== 64 && seconds !== 100) return raw;
  let h: number;
  let m: number;
  let s: number;
  if (seconds === 64) {
    const packed = ((hours << 12) | (minutes << 6) | 63) + 1;
    [h, m, s] = [packed >> 12, (packed >> 6) & 63, packed & 63];
  } else {
    const decimal = hours * 10_000 + minutes * 100 + 100;
    [h, m, s] = [Math.floor(decimal / 10_000), Math.floor(decimal / 100) % 100, decimal % 100];
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `-${pad(h)}:${pad(m)}:${pad(s)}${dot === -1 ? '' : raw.slice(dot)}`;
};

/** MySQL stores a geometry as a 4-byte little-endian SRID followed by the WKB. */
const geometryJson: ValueDecoder = (raw) => {
  if (raw == null) return null;
  if (!Buffer.isBuffer(raw))
    throw new TypeError('a geometry value arrived parsed: call adaptTableMap on every ZongJi tablemap event');
  if (raw.length <= 4) return null;
  return `{"wkb":"${raw.toString('base64', 4)}","srid":${raw.readUInt32LE(0)}}`;
};
