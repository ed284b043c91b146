/**
 * Date and time arithmetic for the TDS temporal types: days since 0001-01-01 and 100-nanosecond ticks
 * since midnight, from and to the text SQL Server prints (`2024-02-29 23:59:59.1234567 +05:30`).
 * Text is exact to the tick; a JavaScript `Date` is accepted where the value is whole milliseconds.
 */

const DAY_MS = 86_400_000;
const TICKS_PER_DAY = 864_000_000_000;

/** Days from 0001-01-01 to the given proleptic Gregorian date. */
export function daysSinceYearOne(year: number, month: number, day: number): number {
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  const start = new Date(0);
  start.setUTCFullYear(1, 0, 1);
  return Math.round((at.getTime() - start.getTime()) / DAY_MS);
}

/** The date `days` after 0001-01-01, as `YYYY-MM-DD`. */
export function dateFromDays(days: number): string {
  const at = new Date(0);
  at.setUTCFullYear(1, 0, 1 + days);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1, 2)}-${pad(at.getUTCDate(), 2)}`;
}

/** A point in time as the TDS temporal types carry it. */
export interface TdsInstant {
  readonly days: number;
  /** 100-nanosecond ticks since midnight. */
  readonly ticks: number;
  /** Minutes east of UTC (datetimeoffset only; `days`/`ticks` are then in UTC). */
  readonly offsetMinutes: number;
}

const PATTERN =
  /^(?:(\d{4})-(\d{2})-(\d{2}))?[ T]?(?:(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(?:([+-])(\d{2}):(\d{2})|Z)?$/;

/** Parses `YYYY-MM-DD`, `HH:MM:SS.fffffff`, both, optionally with `+HH:MM`; a `Date` is taken as UTC. */
export function parseInstant(value: string | Date): TdsInstant {
  if (value instanceof Date) {
    const ms = value.getTime();
    const dayMs = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
    const epochDays = daysSinceYearOne(1970, 1, 1) + Math.floor(ms / DAY_MS);
    return { days: epochDays, ticks: dayMs * 10_000, offsetMinutes: 0 };
  }
  const m = PATTERN.exec(value.trim());
  if (!m) throw new Error(`fake TDS: cannot parse date/time "${value}"`);
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = m;
  const days = y ? daysSinceYearOne(Number(y), Number(mo), Number(d)) : 0;
  const seconds = Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
  const ticks = seconds * 10_000_000 + Number((fraction ?? '').padEnd(7, '0'));
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  return { days, ticks, offsetMinutes };
}

/** Moves an instant given in local time at its offset to UTC (what datetimeoffset carries). */
export function toUtc(instant: TdsInstant): TdsInstant {
  let ticks = instant.ticks - instant.offsetMinutes * 60 * 10_000_000;
  let days = instant.days;
  while (ticks < 0) {
    ticks += TICKS_PER_DAY;
    days -= 1;
  }
  while (ticks >= TICKS_PER_DAY) {
    ticks -= TICKS_PER_DAY;
    days += 1;
  }
  return { days, ticks, offsetMinutes: instant.offsetMinutes };
}

/** Ticks expressed in units of 10^-scale seconds; refuses a value finer than the scale. */
export function ticksToScale(ticks: number, scale: number): number {
  const divisor = 10 ** (7 - scale);
  if (ticks % divisor !== 0) throw new Error(`fake TDS: time has more digits than scale ${scale}`);
  return ticks / divisor;
}

/** `HH:MM:SS.fffffff` (fraction with `scale` digits, none at scale 0) for units of 10^-scale s. */
export function formatTime(units: number, scale: number): string {
  const ticks = units * 10 ** (7 - scale);
  const seconds = Math.floor(ticks / 10_000_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  const fraction = String(ticks % 10_000_000)
    .padStart(7, '0')
    .slice(0, scale);
  return scale > 0 ? `${hms}.${fraction}` : hms;
}
