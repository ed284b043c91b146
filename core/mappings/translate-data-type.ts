import { InvalidInputError } from '../errors.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import type { SourceColumn } from '../plugin/source-table.js';

/**
 * A source type as a user writes it to `translateDataType`, SynchDB style: the type name without
 * size, plus optional sizes. The name may end in SynchDB's auto-increment flag (`int|true`) and,
 * for MySQL, in ` unsigned`.
 */
export interface DataTypeInput {
  readonly type: string;
  readonly length?: number | null;
  readonly scale?: number | null;
  readonly precision?: number | null;
}

/** SynchDB's INT32_MAX rule: a length this large means "no limit" (Debezium reports 2^31-1 for TEXT). */
const UNBOUNDED_LENGTH = 2 ** 31 - 1;
const MAX_TYPE_NAME = 200;
const FLAG = /\|(true|false)$/;

/**
 * The PostgreSQL type a connector of `plugin`'s kind creates for a column of the given source type
 * when no mapping rule overrides it (SynchDB's `synchdb_translate_datatype`). The column is built
 * as the plugin's `discover` would describe it and handed to `plugin.defaultTargetType`.
 *
 * Throws INVALID_INPUT for an empty or malformed type name, a scale without digits, or a scale
 * larger than the digits.
 */
export function translateDataType(
  plugin: Pick<SourcePlugin, 'defaultTargetType'>,
  input: DataTypeInput,
): string {
  return plugin.defaultTargetType(describeColumn(input));
}

/**
 * The column `translateDataType` hands to the plugin. The type name is trimmed, lower-cased and its
 * spaces collapsed. Sizes follow SynchDB: zero or negative means "not given", a length of 2^31-1 or
 * more means unbounded. A positive scale marks a decimal: its digits are `precision` (or `length`,
 * as SynchDB passes them) and no length is set. Otherwise a size given only as `length` or only as
 * `precision` fills both, so each plugin reads the field it keeps that size in (MySQL keeps a bit
 * width in `length` and fractional seconds in `precision`; PostgreSQL keeps time precision in
 * `precision`).
 */
export function describeColumn(input: DataTypeInput): SourceColumn {
  const { name, autoIncrement } = readTypeName(input.type);
  const length = positive('length', input.length, UNBOUNDED_LENGTH);
  const precision = positive('precision', input.precision);
  const scale = positive('scale', input.scale);
  const column = {
    name: 'column',
    position: 1,
    type: name,
    nullable: true,
    autoIncrement,
    unsigned: /\bunsigned\b/.test(name),
  };
  if (scale === null) {
    return { ...column, length: length ?? precision, precision: precision ?? length, scale: null };
  }
  const digits = precision ?? length;
  if (digits === null) {
    throw new InvalidInputError(`scale ${scale} needs a precision (the total number of digits)`);
  }
  if (scale > digits) {
    throw new InvalidInputError(`scale ${scale} is larger than the precision ${digits}`);
  }
  return { ...column, length: null, precision: digits, scale };
}

function readTypeName(written: string): { name: string; autoIncrement: boolean } {
  const normalised = written.trim().toLowerCase().replace(/\s+/g, ' ');
  const flag = FLAG.exec(normalised);
  const name = (flag ? normalised.slice(0, flag.index) : normalised).trim();
  if (name === '') throw new InvalidInputError('type must name a source data type, e.g. "varchar"');
  if (name.length > MAX_TYPE_NAME) {
    throw new InvalidInputError(`type must be at most ${MAX_TYPE_NAME} characters`);
  }
  if (/[()]/.test(name)) {
    throw new InvalidInputError(
      `type "${written.trim()}" has a size in it; give the type name alone and the size as length, precision and scale`,
    );
  }
  if (name.includes('|')) {
    throw new InvalidInputError(
      `type "${written.trim()}" has an unknown flag; only "|true" (auto-increment) and "|false" are accepted`,
    );
  }
  return { name, autoIncrement: flag?.[1] === 'true' };
}

/** A size, or null when not given (absent, zero, negative) or at least `unboundedFrom`. */
function positive(field: string, value: number | null | undefined, unboundedFrom = Infinity): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value)) throw new InvalidInputError(`${field} must be a whole number, got ${value}`);
  return value <= 0 || value >= unboundedFrom ? null : value;
}
