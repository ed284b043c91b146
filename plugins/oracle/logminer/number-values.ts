import type { Row, SourceColumn, SourceValue } from '../../../core/plugin/index.js';

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
 * `text` (exact NUMBER text, e.g. `1.1`, `-.5`) with exactly `scale` fraction digits (`1.10`):
 * Oracle keeps no trailing zeros, but a NUMBER(p, s) value has scale s, as Debezium and a
 * PostgreSQL numeric(p, s) show it. Text with more digits than the scale is left as it is.
 */
export function withScale(text: string, scale: number): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (match === null) return text;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > scale) return text;
  return `${sign}${whole === '' ? '0' : whole}.${fraction.padEnd(scale, '0')}`;
}

/**
 * A row with its NUMBER values in their final form, the same for snapshot and stream (applied
 * after conversion, so both paths agree): NUMBER(p ≤ 15, 0) as JS numbers, NUMBER(p, s > 0) as
 * exact text with s fraction digits; every other NUMBER stays the exact text Oracle gave.
 */
export function withNumberValues(row: Row, columns: readonly SourceColumn[]): Row {
  let out: Record<string, SourceValue> | null = null;
  for (const column of columns) {
    const value = row[column.name];
    if (typeof value !== 'string' || column.type !== 'number') continue;
    if (isSmallInteger(column)) {
      out ??= { ...row };
      out[column.name] = Number(value);
    } else if (column.scale != null && column.scale > 0) {
      out ??= { ...row };
      out[column.name] = withScale(value, column.scale);
    }
  }
  return out ?? row;
}
