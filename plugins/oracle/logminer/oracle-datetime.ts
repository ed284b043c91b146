/**
 * Oracle date/time text → PostgreSQL input text, exactly (no JS Date, no float):
 * `YYYY-MM-DD HH:MI:SS[.ffffff][offset or region]`. Fractions are **truncated** to the
 * microsecond PostgreSQL keeps (`.123456789` → `.123456`), never rounded: truncation cannot move
 * a value into the next second, day or year, needs no carry, and is what the snapshot path applies
 * to the same 9-digit text, so snapshot and stream agree. Trailing zeros of the fraction are
 * dropped. Each function throws `Error` saying what it expected.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const TIMESTAMP = /^(-?\d{1,4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/;
const ZONE = /^(.*?) ?([+-]\d{1,2}:\d{2}|[A-Za-z][A-Za-z0-9_/+-]*)(?: [A-Z]{2,6})?$/;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

/** `TO_DATE(text, mask)`: the mask is honoured (YYYY RRRR YY RR MM MON DD HH24 HH AM PM MI SS). */
export function dateText(text: string, mask = 'YYYY-MM-DD HH24:MI:SS'): string {
  return formatFields(parseWithMask(text, mask));
}

/** `TO_TIMESTAMP('2024-01-02 03:04:05.123456789')` (the session's `…HH24:MI:SS.FF9` form). */
export function timestampText(text: string): string {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null)
    throw new Error(`expected a timestamp like 2024-01-02 03:04:05.123456789, got ${JSON.stringify(text)}`);
  const [, year, month, day, hour, minute, second, fraction] = match;
  return formatFields(
    checked({
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      fraction: fraction ?? '',
    }),
  );
}

/** `TO_TIMESTAMP_TZ('2024-01-02 03:04:05.1 +02:00')` or with a region (`Europe/Paris`). */
export function timestampTzText(text: string): string {
  const match = ZONE.exec(text.trim());
  if (match === null)
    throw new Error(`expected a timestamp with an offset or region, got ${JSON.stringify(text)}`);
  const [, local, zone] = match as unknown as [string, string, string];
  const offset = /^[+-]\d:/.test(zone) ? `${zone[0]}0${zone.slice(1)}` : zone;
  return /^[+-]/.test(offset) ? `${timestampText(local)}${offset}` : `${timestampText(local)} ${offset}`;
}

/** Oracle's internal DATE (7 bytes) or TIMESTAMP (11 bytes), as `HEXTORAW` shows undecodable ones. */
export function internalDateText(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  if ((bytes.length !== 7 && bytes.length !== 11) || bytes.length * 2 !== hex.length) {
    throw new Error(`expected 7 or 11 bytes of Oracle date, got HEXTORAW('${hex}')`);
  }
  const byte = (index: number): number => bytes[index] as number;
  const nanos = bytes.length === 11 ? bytes.readUInt32BE(7) : 0;
  return formatFields(
    checked({
      year: (byte(0) - 100) * 100 + (byte(1) - 100),
      month: byte(2),
      day: byte(3),
      hour: byte(4) - 1,
      minute: byte(5) - 1,
      second: byte(6) - 1,
      fraction: String(nanos).padStart(9, '0'),
    }),
  );
}

function parseWithMask(text: string, mask: string): Fields {
  const fields: Fields = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, fraction: '' };
  let at = 0;
  let pm: boolean | null = null;
  const digits = (max: number, token: string): number => {
    const found = /^\d+/.exec(text.slice(at, at + max))?.[0];
    if (found === undefined)
      throw new Error(`TO_DATE('${text}', '${mask}'): expected ${token} at character ${at}`);
    at += found.length;
    return Number(found);
  };
  for (const token of mask
    .toUpperCase()
    .match(/YYYY|RRRR|HH24|HH12|YY|RR|MM|MON|DD|HH|MI|SS|AM|PM|"[^"]*"|./g) ?? []) {
    if (token === 'YYYY' || token === 'RRRR') fields.year = digits(4, token);
    else if (token === 'YY') fields.year = 2000 + digits(2, token);
    else if (token === 'RR') {
      const year = digits(2, token); // 00–49 → 2000s, 50–99 → 1900s (for a current year in 2000–2049)
      fields.year = year < 50 ? 2000 + year : 1900 + year;
    } else if (token === 'MM') fields.month = digits(2, token);
    else if (token === 'MON') {
      fields.month = MONTHS.indexOf(text.slice(at, at + 3).toUpperCase()) + 1;
      if (fields.month === 0)
        throw new Error(`TO_DATE('${text}', '${mask}'): expected a month name at character ${at}`);
      at += 3;
    } else if (token === 'DD') fields.day = digits(2, token);
    else if (token === 'HH24') fields.hour = digits(2, token);
    else if (token === 'HH' || token === 'HH12') fields.hour = digits(2, token) % 12;
    else if (token === 'MI') fields.minute = digits(2, token);
    else if (token === 'SS') fields.second = digits(2, token);
    else if (token === 'AM' || token === 'PM') {
      pm = text.slice(at, at + 2).toUpperCase() === 'PM';
      at += 2;
    } else if (/^[A-Z0-9]/.test(token))
      throw new Error(`TO_DATE mask element ${token} is not supported ('${mask}')`);
    else at += token.startsWith('"') ? token.length - 2 : 1;
  }
  if (at !== text.length) throw new Error(`TO_DATE('${text}', '${mask}'): text left over at character ${at}`);
  if (pm === true) fields.hour += 12;
  return checked(fields);
}

function checked(fields: Fields): Fields {
  const { year, month, day, hour, minute, second } = fields;
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leap = month !== 2 || day !== 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
  if (
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > days ||
    !leap ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new Error(`${formatFields(fields)} is not a valid date and time`);
  }
  return fields;
}

function formatFields(fields: Fields): string {
  const two = (value: number): string => String(value).padStart(2, '0');
  const fraction = fields.fraction.padEnd(9, '0').slice(0, 6).replace(/0+$/, '');
  return (
    `${String(fields.year).padStart(4, '0')}-${two(fields.month)}-${two(fields.day)} ` +
    `${two(fields.hour)}:${two(fields.minute)}:${two(fields.second)}${fraction === '' ? '' : `.${fraction}`}`
  );
}
