/**
 * Sizes in the PostgreSQL type a plugin's `defaultTargetType` returns, kept within what
 * PostgreSQL accepts: every built-in plugin formats `varchar(n)`, `numeric(p,s)`, `bit(n)` and
 * `timestamp(p)` through these.
 */

import type { SourceColumn } from './source-table.js';

/** PostgreSQL's limit on a `varchar(n)` / `char(n)` length (and SynchDB's length cap). */
export const MAX_CHAR_LENGTH = 10_485_760;
/** PostgreSQL's limit on a `bit(n)` / `bit varying(n)` length. */
export const MAX_BIT_LENGTH = 83_886_080;
/** PostgreSQL keeps at most 6 fractional-second digits (SQL Server and Oracle have more). */
export const MAX_FRACTION = 6;

/** The SQL spellings whose size goes after the first word: `timestamp(3) with time zone`. */
const SPELLED_TIME = /^(timestamp|time)( with(?:out)? time zone)$/;

/**
 * `type(n)` with `n` capped to PostgreSQL's fractional-second digits (`time(3)`, `interval(6)`,
 * `timestamp(3) with time zone`); `type` when unsized.
 */
export function withFraction(type: string, digits: number | null | undefined): string {
  if (digits == null) return type;
  const size = `(${Math.min(digits, MAX_FRACTION)})`;
  const spelled = SPELLED_TIME.exec(type);
  return spelled ? `${spelled[1]}${size}${spelled[2]}` : `${type}${size}`;
}

/** `type(n)` with `n` kept within 1..`max` (a character length by default); `type` when unsized. */
export function withLength(type: string, length: number | null | undefined, max = MAX_CHAR_LENGTH): string {
  if (length == null) return type;
  return `${type}(${Math.min(Math.max(length, 1), max)})`;
}

/**
 * `type(precision)` or `type(precision,scale)` as the column declares them; `type` when unsized.
 * With `defaultScale`, a missing scale is written out (`numeric(10,0)`, as SynchDB shows it).
 */
export function withDigits(
  type: string,
  column: Pick<SourceColumn, 'precision' | 'scale'>,
  defaultScale?: number,
): string {
  if (column.precision == null) return type;
  const scale = column.scale ?? defaultScale;
  if (scale == null) return `${type}(${column.precision})`;
  return `${type}(${column.precision},${scale})`;
}

/** An unmapped type keeps its name and whichever size the source declared (length, else digits). */
export function passThrough(type: string, column: SourceColumn): string {
  return column.length != null ? withLength(type, column.length) : withDigits(type, column);
}
