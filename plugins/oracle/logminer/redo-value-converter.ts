import type { Row, SourceValue } from '../../../core/plugin/index.js';
import { dateText, internalDateText, timestampText, timestampTzText } from './oracle-datetime.js';
import { dayToSecondText, yearToMonthText } from './oracle-interval.js';
import { RedoValueError } from './redo-errors.js';
import type { RedoImage, RedoLiteral } from './redo-literal.js';

/** How a column's values are converted, from its Oracle `DATA_TYPE`. */
type Family =
  | 'number'
  | 'float'
  | 'binary_float'
  | 'binary_double'
  | 'date'
  | 'timestamp'
  | 'timestamp-tz'
  | 'timestamp-ltz'
  | 'ym'
  | 'ds'
  | 'binary'
  | 'text';

const NUMERIC = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIALS: Readonly<Record<string, string>> = {
  NAN: 'NaN',
  INF: 'Infinity',
  '+INF': 'Infinity',
  '-INF': '-Infinity',
  INFINITY: 'Infinity',
  '-INFINITY': '-Infinity',
  BINARY_DOUBLE_NAN: 'NaN',
  BINARY_FLOAT_NAN: 'NaN',
  BINARY_DOUBLE_INFINITY: 'Infinity',
  BINARY_FLOAT_INFINITY: 'Infinity',
  '-BINARY_DOUBLE_INFINITY': '-Infinity',
  '-BINARY_FLOAT_INFINITY': '-Infinity',
};

/**
 * The conversion family of an Oracle `DATA_TYPE` as `ALL_TAB_COLS` spells it (`NUMBER`,
 * `TIMESTAMP(6) WITH TIME ZONE`, `INTERVAL DAY(2) TO SECOND(6)`, …); unknown types are text.
 */
export function typeFamily(dataType: string): Family {
  const type = dataType
    .toUpperCase()
    .replace(/\(\s*\d+\s*(,\s*-?\d+\s*)?\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (['NUMBER', 'NUMERIC', 'DECIMAL', 'INTEGER', 'INT', 'SMALLINT'].includes(type)) return 'number';
  if (type === 'BINARY_FLOAT') return 'binary_float';
  if (type === 'BINARY_DOUBLE') return 'binary_double';
  if (['FLOAT', 'REAL', 'DOUBLE PRECISION'].includes(type)) return 'float';
  if (type === 'DATE') return 'date';
  if (type === 'TIMESTAMP') return 'timestamp';
  if (type === 'TIMESTAMP WITH TIME ZONE') return 'timestamp-tz';
  if (type === 'TIMESTAMP WITH LOCAL TIME ZONE') return 'timestamp-ltz';
  if (type === 'INTERVAL YEAR TO MONTH') return 'ym';
  if (type === 'INTERVAL DAY TO SECOND') return 'ds';
  if (['RAW', 'LONG RAW', 'BLOB'].includes(type)) return 'binary';
  return 'text';
}

/**
 * Converts one SQL_REDO literal to the value the destination receives, by the column's Oracle
 * type, so that it equals what the snapshot path yields for the same data:
 * - NUMBER/FLOAT: the exact decimal text (quoted or not); BINARY_FLOAT/DOUBLE specials → `NaN`,
 *   `Infinity`, `-Infinity`;
 * - DATE → `YYYY-MM-DD HH:MI:SS`; TIMESTAMP → microseconds (truncated, see `oracle-datetime.ts`);
 *   WITH TIME ZONE keeps its offset or region; WITH LOCAL TIME ZONE is rendered in the session's
 *   UTC, so `+00:00` is appended;
 * - INTERVALs → ISO 8601 interval text;
 * - RAW/BLOB → `Buffer` (`EMPTY_BLOB()` → empty);
 * - text (CHAR, VARCHAR2, NCHAR, CLOB, …) → string, UNISTR decoded, `EMPTY_CLOB()` → '';
 * - `''` → null whatever the type (Oracle stores an empty string as NULL); `NULL` → null.
 * Throws `RedoValueError` naming the column for `Unsupported Type` and for a literal that does not
 * fit the type.
 */
export function convertRedoValue(
  literal: RedoLiteral,
  dataType: string,
  table: string,
  column: string,
): SourceValue {
  try {
    return convert(literal, typeFamily(dataType));
  } catch (error) {
    if (error instanceof RedoValueError) throw error;
    throw new RedoValueError(table, column, `${dataType} value: ${(error as Error).message}`);
  }
}

/**
 * Converts a row image. `types` maps each column name to its `DATA_TYPE`; a column missing from it
 * is a `RedoValueError` (the cached description is stale). In a `before` image an `unsupported`
 * old value is left out (it is not known); in an `after` image it is an error naming the column.
 */
export function convertRedoImage(
  image: RedoImage,
  types: ReadonlyMap<string, string>,
  table: string,
  side: 'before' | 'after',
): Row {
  const row: Record<string, SourceValue> = Object.create(null) as Record<string, SourceValue>;
  for (const [column, literal] of Object.entries(image)) {
    const dataType = types.get(column);
    if (dataType === undefined)
      throw new RedoValueError(table, column, 'not a column of the table as last described');
    if (literal.form === 'unsupported' && side === 'before') continue;
    row[column] = convertRedoValue(literal, dataType, table, column);
  }
  return row;
}

function convert(literal: RedoLiteral, family: Family): SourceValue {
  switch (literal.form) {
    case 'null':
      return null;
    case 'unsupported':
      throw new Error(
        'LogMiner wrote "Unsupported Type": the value is not in the redo (this type cannot be replicated)',
      );
    case 'empty-clob':
      if (family !== 'text') throw new Error('EMPTY_CLOB() in a non-character column');
      return '';
    case 'empty-blob':
      if (family !== 'binary') throw new Error('EMPTY_BLOB() in a non-binary column');
      return Buffer.alloc(0);
    case 'string':
    case 'unistr':
      return literal.text === '' ? null : fromText(literal.text, family);
    case 'number':
      if (isBinary(family)) return fromText(literal.text, family);
      if (family !== 'number' && family !== 'float' && family !== 'text')
        throw new Error(`unexpected number ${literal.text}`);
      return literal.text;
    case 'float-special':
      if (family !== 'float' && !isBinary(family))
        throw new Error(`${literal.text} in a column that is not BINARY_FLOAT/DOUBLE`);
      return SPECIALS[literal.text] as string;
    case 'hex':
      return fromHex(literal.text, family);
    case 'date':
      return withZone(dateText(literal.text, literal.mask), family, 'date');
    case 'timestamp':
      return withZone(timestampText(literal.text), family, 'timestamp');
    case 'timestamp-tz':
      if (family !== 'timestamp-tz' && family !== 'timestamp-ltz')
        throw new Error('TO_TIMESTAMP_TZ in a column without time zone');
      return timestampTzText(literal.text);
    case 'ym-interval':
      if (family !== 'ym') throw new Error('TO_YMINTERVAL in a column that is not INTERVAL YEAR TO MONTH');
      return yearToMonthText(literal.text);
    case 'ds-interval':
      if (family !== 'ds') throw new Error('TO_DSINTERVAL in a column that is not INTERVAL DAY TO SECOND');
      return dayToSecondText(literal.text);
  }
}

/** A quoted string: text as is; numbers validated (they arrive quoted); specials for floats. */
function fromText(text: string, family: Family): SourceValue {
  if (family === 'number' || family === 'float' || isBinary(family)) {
    const special = SPECIALS[text.toUpperCase()];
    if (family !== 'number' && special !== undefined) return special;
    if (!NUMERIC.test(text)) throw new Error(`${JSON.stringify(text)} is not a number`);
    return isBinary(family) ? binaryNumber(Number(text), family) : text;
  }
  if (family === 'text') return text;
  if (family === 'date') return dateText(text);
  if (family === 'timestamp') return timestampText(text);
  if (family === 'timestamp-tz') return timestampTzText(text);
  if (family === 'ym') return yearToMonthText(text);
  if (family === 'ds') return dayToSecondText(text);
  throw new Error(`a quoted string in a ${family} column`);
}

function isBinary(family: Family): family is 'binary_float' | 'binary_double' {
  return family === 'binary_float' || family === 'binary_double';
}

/**
 * A BINARY_FLOAT/DOUBLE value as both paths yield it (the snapshot fetches a JS number, the redo
 * has decimal text): NaN and infinities as text (`NaN`, `Infinity`, `-Infinity`); a double as the
 * number; a float as the shortest decimal that rounds to the same 32-bit float (`3.14`, not the
 * widened `3.140000104904175`), which a PostgreSQL `real` stores identically.
 */
export function binaryNumber(value: number, family: 'binary_float' | 'binary_double'): SourceValue {
  if (!Number.isFinite(value)) return String(value);
  if (family === 'binary_double') return value;
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const shorter = Number(single.toPrecision(digits));
    if (Math.fround(shorter) === single) return shorter;
  }
  return Number(single.toPrecision(9));
}

function fromHex(hex: string, family: Family): SourceValue {
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(hex)) throw new Error(`HEXTORAW('${hex}') is not hexadecimal`);
  if (family === 'binary') return Buffer.from(hex, 'hex');
  if (family === 'date' || family === 'timestamp') return internalDateText(hex);
  throw new Error(`HEXTORAW in a ${family} column`);
}

/** DATE and TIMESTAMP literals fit date, timestamp and local-time-zone columns. */
function withZone(text: string, family: Family, form: 'date' | 'timestamp'): string {
  if (family === 'date' || family === 'timestamp') return text;
  if (family === 'timestamp-ltz') return `${text}+00:00`;
  throw new Error(`TO_${form.toUpperCase()} in a ${family} column`);
}
