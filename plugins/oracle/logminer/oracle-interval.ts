const YEAR_TO_MONTH = /^([+-])?(\d+)-(\d{1,2})$/;
const DAY_TO_SECOND = /^([+-])?(\d+) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/;

/**
 * Oracle interval text → PostgreSQL interval input in ISO 8601 form with designators, which
 * PostgreSQL reads whatever its `IntervalStyle`: `TO_YMINTERVAL('+01-02')` → `P1Y2M`,
 * `'-01-02'` → `P-1Y-2M` (each field carries the sign). Throws `Error` on any other text.
 */
export function yearToMonthText(text: string): string {
  const match = YEAR_TO_MONTH.exec(text.trim());
  if (match === null)
    throw new Error(`expected an interval year to month like +01-02, got ${JSON.stringify(text)}`);
  const [, sign, years, months] = match as unknown as [string, string | undefined, string, string];
  const minus = sign === '-' ? '-' : '';
  return `P${minus}${Number(years)}Y${minus}${Number(months)}M`;
}

/**
 * `TO_DSINTERVAL('+01 02:03:04.567000')` → `P1DT2H3M4.567S` (negative: every field negative),
 * seconds truncated to the microsecond like timestamps.
 */
export function dayToSecondText(text: string): string {
  const match = DAY_TO_SECOND.exec(text.trim());
  if (match === null) {
    throw new Error(`expected an interval day to second like +01 02:03:04.567, got ${JSON.stringify(text)}`);
  }
  const [, sign, days, hours, minutes, seconds, fraction] = match;
  const minus = sign === '-' ? '-' : '';
  const micro = (fraction ?? '').padEnd(9, '0').slice(0, 6).replace(/0+$/, '');
  const second = `${Number(seconds)}${micro === '' ? '' : `.${micro}`}`;
  return `P${minus}${Number(days)}DT${minus}${Number(hours)}H${minus}${Number(minutes)}M${minus}${second}S`;
}
