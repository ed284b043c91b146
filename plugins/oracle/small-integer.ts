import type { Row, SourceColumn, SourceValue } from '../../core/plugin/index.js';

/** Digits of a NUMBER(p, 0) always exact in a double (2^53 has 16 digits). */
const EXACT_DIGITS = 15;

/** Whether the column is a NUMBER(p, 0) with p ≤ 15, whose values are handed over as JS numbers. */
export function isSmallInteger(column: SourceColumn): boolean {
  return (
    column.type === 'number' &&
    column.scale === 0 &&
    column.precision != null &&
    column.precision <= EXACT_DIGITS
  );
}

/**
 * A row with the values of NUMBER(p ≤ 15, 0) columns as numbers (every other NUMBER stays exact
 * text), the same for snapshot and stream. Applied after conversion, so both paths agree.
 */
export function withSmallIntegers(row: Row, columns: readonly SourceColumn[]): Row {
  let out: Record<string, SourceValue> | null = null;
  for (const column of columns) {
    const value = row[column.name];
    if (typeof value !== 'string' || !isSmallInteger(column)) continue;
    out ??= { ...row };
    out[column.name] = Number(value);
  }
  return out ?? row;
}
