import type { CustomTypesConfig } from 'pg';
import pg from 'pg';
import type { SourceValue } from '../../../core/plugin/index.js';

/**
 * How PostgreSQL's text output becomes a contract `SourceValue` (core/plugin/source-event.ts). The
 * snapshot (through the driver's `types` option) and the stream (pgoutput sends text) use the same
 * functions, keyed by the base type's OID, so a row read either way compares equal. Every session
 * runs with `SESSION_SETTINGS`, which fixes the text formats these functions read.
 */
export type ValueParser = (text: string) => SourceValue;

/**
 * Startup `options` for every session (queries, snapshot readers and walsenders): ISO dates, UTC,
 * hex bytea, `$1,234.50`-style money, and floats printed exactly.
 */
export const SESSION_SETTINGS = [
  'DateStyle=ISO,MDY',
  'IntervalStyle=postgres',
  'TimeZone=UTC',
  'bytea_output=hex',
  'lc_monetary=C',
  'extra_float_digits=1',
]
  .map((setting) => `-c ${setting}`)
  .join(' ');

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  json: 114,
  float4: 700,
  float8: 701,
  money: 790,
  timestamptz: 1184,
  jsonb: 3802,
} as const;

const asText: ValueParser = (text) => text;
const asNumber: ValueParser = (text) => Number(text);

const PARSERS: ReadonlyMap<number, ValueParser> = new Map<number, ValueParser>([
  [OID.bool, (text) => text === 't'],
  [OID.int2, asNumber],
  [OID.int4, asNumber],
  [OID.float4, asNumber],
  [OID.float8, asNumber],
  [OID.money, parseMoney],
  [OID.timestamptz, parseTimestamptz],
  [OID.bytea, parseBytea],
  [OID.json, (text) => JSON.parse(text)],
  [OID.jsonb, (text) => JSON.parse(text)],
]);

/**
 * The parser for a base type OID: booleans, int2/int4 and floats as JS values, timestamptz as
 * UTC text with microseconds, bytea as `Buffer`, json/jsonb parsed; everything else — int8, numeric, money (as a
 * decimal string), timestamp/date/time without time zone, uuid, inet, interval, arrays, enums — as
 * the text PostgreSQL prints.
 */
export function valueParser(typeOid: number): ValueParser {
  return PARSERS.get(typeOid) ?? asText;
}

/** The driver's per-client `types` option (never the global registry). */
export const clientTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    format === 'binary'
      ? pg.types.getTypeParser(oid, 'binary')
      : valueParser(oid)) as CustomTypesConfig['getTypeParser'],
};

/** `-$1,234.50` (lc_monetary=C) → `-1234.50`. */
function parseMoney(text: string): string {
  return text.replace(/[$,\s]/g, '');
}

const BYTEA_DEFAULT = pg.types.getTypeParser(OID.bytea, 'text') as (text: string) => Buffer;

function parseBytea(text: string): Buffer {
  return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : BYTEA_DEFAULT(text);
}

/**
 * timestamptz stays PostgreSQL's text (`2024-01-02 03:04:05.123456+00`, the session runs in UTC):
 * it carries the offset and the full microsecond precision a JS `Date` would lose.
 */
function parseTimestamptz(text: string): string {
  return text;
}
