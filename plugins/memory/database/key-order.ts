import type { Row, SourceColumn, SourceTable, SourceValue } from '../../../core/plugin/index.js';
import { normaliseValue } from '../schema/column-types.js';

const NUMERIC_TEXT_TYPES = new Set(['bigint', 'decimal']);

/**
 * The storage key of a row: its primary-key values, encoded so that equal keys give equal strings.
 * Values must already be normalised for their column types.
 */
export function encodeKey(values: readonly SourceValue[]): string {
  return JSON.stringify(
    values.map((value) => {
      if (value instanceof Date) return `date:${value.toISOString()}`;
      if (Buffer.isBuffer(value)) return `bytes:${value.toString('hex')}`;
      return `${typeof value}:${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    }),
  );
}

/** The storage key of a row in a table without a primary key: insertion order, as a sortable string. */
export function rowIdKey(id: number): string {
  return `#${String(id).padStart(15, '0')}`;
}

/** The row's primary-key values in key order. */
export function keyValues(table: SourceTable, row: Row): SourceValue[] {
  return table.primaryKey.map((name) => row[name] ?? null);
}

/**
 * The rows in primary-key order (insertion order for tables without a key), strictly after
 * `afterKey` when given. `afterKey` is normalised like stored values, so a key that went through
 * JSON (a number as a string, an instant as ISO text) still compares correctly.
 */
export function orderRows(
  table: SourceTable,
  rows: ReadonlyMap<string, Row>,
  afterKey?: readonly unknown[],
): Row[] {
  if (table.primaryKey.length === 0) {
    if (afterKey !== undefined) throw new Error(`table ${table.ref.name} has no primary key to resume after`);
    return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
  const columns = table.primaryKey.map((name) => keyColumn(table, name));
  const keyed = [...rows.values()].map((row) => ({ key: keyValues(table, row), row }));
  keyed.sort((a, b) => compareKeys(columns, a.key, b.key));
  if (afterKey === undefined) return keyed.map(({ row }) => row);
  if (afterKey.length !== columns.length) {
    throw new RangeError(
      `afterKey for ${table.ref.name} needs ${columns.length} value(s), got ${afterKey.length}`,
    );
  }
  const after = columns.map((column, index) => normaliseValue(column, afterKey[index]));
  return keyed.filter(({ key }) => compareKeys(columns, key, after) > 0).map(({ row }) => row);
}

function keyColumn(table: SourceTable, name: string): SourceColumn {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column === undefined) throw new Error(`table ${table.ref.name}: primary key column ${name} is missing`);
  return column;
}

function compareKeys(
  columns: readonly SourceColumn[],
  a: readonly SourceValue[],
  b: readonly SourceValue[],
): number {
  for (const [index, column] of columns.entries()) {
    const order = compareValues(column, a[index] ?? null, b[index] ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function compareValues(column: SourceColumn, a: SourceValue, b: SourceValue): number {
  if (typeof a === 'string' && typeof b === 'string' && NUMERIC_TEXT_TYPES.has(column.type)) {
    return compareDecimals(a, b);
  }
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  if (isNumber(a) && isNumber(b)) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'string' ? a : encodeKey([a]);
  const y = typeof b === 'string' ? b : encodeKey([b]);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isNumber(value: SourceValue): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Compares decimal strings (`-12.5`, `007`) by value, without converting them to floats. */
function compareDecimals(a: string, b: string): number {
  const [negativeA, magnitudeA] = splitDecimal(a);
  const [negativeB, magnitudeB] = splitDecimal(b);
  if (negativeA !== negativeB) return negativeA ? -1 : 1;
  const [wholeA, fractionA] = magnitudeA;
  const [wholeB, fractionB] = magnitudeB;
  const width = Math.max(fractionA.length, fractionB.length);
  let order = wholeA.length - wholeB.length;
  if (order === 0) {
    const left = wholeA + fractionA.padEnd(width, '0');
    const right = wholeB + fractionB.padEnd(width, '0');
    order = left < right ? -1 : left > right ? 1 : 0;
  }
  return negativeA ? -Math.sign(order) : Math.sign(order);
}

function splitDecimal(text: string): [negative: boolean, magnitude: [whole: string, fraction: string]] {
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const trimmedWhole = whole.replace(/^0+/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  const isZero = trimmedWhole === '' && trimmedFraction === '';
  return [negative && !isZero, [trimmedWhole, trimmedFraction]];
}
