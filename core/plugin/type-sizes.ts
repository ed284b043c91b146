import type { SourceColumn } from './source-table.js';

/** PostgreSQL's limit on a `varchar(n)` / `char(n)` length (and SynchDB's length cap). */
export const MAX_CHAR_LENGTH = 10_485_760;
/** PostgreSQL keeps at most 6 fractional-second digits (SQL Server and Oracle have more). */
export const MAX_FRACTION = 6;

/** `type(n)` with `n` capped to PostgreSQL's fractional-second digits; `type` when unsized. */
export function withFraction(type: string, digits: number | null | undefined): string {
  return digits == null ? type : `${type}(${Math.min(digits, MAX_FRACTION)})`;
}

/** `type(n)` with `n` kept within 1..MAX_CHAR_LENGTH; `type` when unsized. */
export function withLength(type: string, length: number | null | undefined): string {
  if (length == null) return type;
  return `${type}(${Math.min(Math.max(length, 1), MAX_CHAR_LENGTH)})`;
}

/** `type(precision)` or `type(precision,scale)` as the column declares them; `type` when unsized. */
export function withDigits(type: string, column: Pick<SourceColumn, 'precision' | 'scale'>): string {
  if (column.precision == null) return type;
  if (column.scale == null) return `${type}(${column.precision})`;
  return `${type}(${column.precision},${column.scale})`;
}

/** An unmapped type keeps its name and whichever size the source declared (length, else digits). */
export function passThrough(type: string, column: SourceColumn): string {
  return column.length != null ? withLength(type, column.length) : withDigits(type, column);
}
