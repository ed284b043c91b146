import type { JsonValue, Row, SourceColumn, SourceTable, SourceValue } from '../../../core/plugin/index.js';

/**
 * A column as users of the memory database declare it, with the size written into the type:
 * `integer`, `bigint`, `text`, `varchar(20)`, `decimal(10,2)`, `boolean`, `timestamp`, `timestamptz`,
 * `json`, `bytes`. Other type names are accepted and their values stored as given.
 */
export interface MemoryColumnSpec {
  readonly name: string;
  readonly type: string;
  /** Defaults to true; primary-key columns are never nullable. */
  readonly nullable?: boolean;
}

/** A value as a caller hands it to the memory database, before normalisation. */
export type MemoryRowInput = Readonly<Record<string, unknown>>;

const TYPE_PATTERN = /^([a-z]+)(?:\((\d+)(?:,\s*(\d+))?\))?$/;
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
const TIMESTAMP_PATTERN = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)$/;

/** Reads a column declaration into the contract's `SourceColumn` (`varchar(20)` → type `varchar`, length 20). */
export function toSourceColumn(
  spec: MemoryColumnSpec,
  position: number,
  inPrimaryKey: boolean,
): SourceColumn {
  const match = TYPE_PATTERN.exec(spec.type.trim().toLowerCase());
  const [, type, first, second] = match ?? [];
  if (type === undefined) {
    throw new Error(`column ${spec.name}: cannot read type ${JSON.stringify(spec.type)}`);
  }
  if (first !== undefined && type !== 'varchar' && type !== 'decimal') {
    throw new Error(`column ${spec.name}: only varchar and decimal take a size, got ${spec.type}`);
  }
  const column: SourceColumn = {
    name: spec.name,
    position,
    type,
    nullable: !inPrimaryKey && (spec.nullable ?? true),
  };
  const size = first === undefined ? null : Number(first);
  if (type === 'varchar') return { ...column, length: size };
  if (type !== 'decimal') return column;
  const scale = second !== undefined ? Number(second) : size === null ? null : 0;
  return { ...column, precision: size, scale };
}

/** Builds a table definition, checking column names and the primary key. */
export function defineTable(
  ref: SourceTable['ref'],
  columns: readonly MemoryColumnSpec[],
  primaryKey: readonly string[],
): SourceTable {
  const names = columns.map((column) => column.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`table ${ref.name}: column ${duplicate} is declared twice`);
  const missing = primaryKey.find((name) => !names.includes(name));
  if (missing !== undefined) {
    throw new Error(`table ${ref.name}: primary key column ${missing} is not a column`);
  }
  return {
    ref,
    columns: columns.map((spec, index) => toSourceColumn(spec, index + 1, primaryKey.includes(spec.name))),
    primaryKey: [...primaryKey],
  };
}

/** The row with exactly the table's columns, in position order; columns added since it was written are null. */
export function projectRow(table: SourceTable, row: Row): Row {
  return Object.freeze(
    Object.fromEntries(table.columns.map((column) => [column.name, row[column.name] ?? null])),
  );
}

/**
 * Converts a caller's value to the contract's `SourceValue` form for the column type: exact numerics
 * (`bigint`, `decimal`) as decimal strings, `timestamp` as `YYYY-MM-DD HH:MM:SS[.ffffff]`,
 * `timestamptz` as `Date`, `bytes` as `Buffer`, `json` as a detached copy. Throws on a value the
 * column cannot hold.
 */
export function normaliseValue(column: SourceColumn, value: unknown): SourceValue {
  if (value === null || value === undefined) {
    if (!column.nullable) throw new Error(`column ${column.name} must not be null`);
    return null;
  }
  switch (column.type) {
    case 'integer':
      return toSafeInteger(column, value);
    case 'bigint':
      return toBigInt(column, value).toString();
    case 'decimal':
      return toDecimal(column, value);
    case 'text':
    case 'varchar':
      return toText(column, value);
    case 'boolean':
      return typeof value === 'boolean' ? value : reject(column, value);
    case 'timestamp':
      return toTimestamp(column, value);
    case 'timestamptz':
      return toInstant(column, value);
    case 'json':
      return JSON.parse(JSON.stringify(value)) as JsonValue;
    case 'bytes':
      return value instanceof Uint8Array ? Buffer.from(value) : reject(column, value);
    default:
      return value as SourceValue;
  }
}

function reject(column: SourceColumn, value: unknown, why = ''): never {
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  throw new Error(`column ${column.name} (${column.type}) cannot hold ${shown}${why ? `: ${why}` : ''}`);
}

function toBigInt(column: SourceColumn, value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return reject(column, value, 'expected a whole number');
}

function toSafeInteger(column: SourceColumn, value: unknown): number {
  const integer = toBigInt(column, value);
  if (integer < -2147483648n || integer > 2147483647n) reject(column, value, 'out of 32-bit range');
  return Number(integer);
}

function toDecimal(column: SourceColumn, value: unknown): string {
  const text =
    typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' ? String(value) : '';
  const [, sign = '', whole = '', fraction = ''] = DECIMAL_PATTERN.exec(text.trim()) ?? [];
  if (whole === '') return reject(column, value, 'expected a decimal number');
  const digits = whole.replace(/^0+(?=\d)/, '');
  const scale = column.scale ?? null;
  if (scale === null) return `${sign}${digits}${fraction ? `.${fraction}` : ''}`;
  if (fraction.length > scale) reject(column, value, `more than ${scale} decimal places`);
  if (column.precision != null && digits !== '0' && digits.length > column.precision - scale) {
    reject(column, value, `more than ${column.precision - scale} digits before the point`);
  }
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits}.${fraction.padEnd(scale, '0')}`;
}

function toText(column: SourceColumn, value: unknown): string {
  if (typeof value !== 'string') return reject(column, value, 'expected a string');
  if (column.length != null && [...value].length > column.length)
    reject(column, value, `longer than ${column.length}`);
  return value;
}

function toTimestamp(column: SourceColumn, value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 23).replace('T', ' ');
  const [, date, time] = typeof value === 'string' ? (TIMESTAMP_PATTERN.exec(value.trim()) ?? []) : [];
  if (date === undefined) return reject(column, value, 'expected YYYY-MM-DD HH:MM:SS');
  return `${date} ${time}`;
}

function toInstant(column: SourceColumn, value: unknown): Date {
  const instant = value instanceof Date || typeof value === 'string' ? new Date(value) : undefined;
  if (instant === undefined || Number.isNaN(instant.getTime())) {
    return reject(column, value, 'expected an instant');
  }
  return instant;
}
