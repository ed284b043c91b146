import type { ColumnSpec } from '../column-types.js';
import type { ColumnDefinition } from './ddl-column.js';

/** The sizes `information_schema.COLUMNS` reports, with the stored base type. */
type Sizes = Pick<
  ColumnSpec,
  'dataType' | 'charLength' | 'numericPrecision' | 'numericScale' | 'datetimePrecision'
>;

/** NUMERIC_PRECISION of the integer types: [signed, unsigned]. */
const INTEGER_DIGITS: Readonly<Record<string, readonly [number, number]>> = {
  tinyint: [3, 3],
  smallint: [5, 5],
  mediumint: [7, 8],
  int: [10, 10],
  bigint: [19, 20],
};

/** The text and blob types from smallest to largest, with their maximum size in bytes. */
const LONGEST = ['longtext', 'longblob', 4_294_967_295] as const;
const LOB_SIZES: readonly (readonly [string, string, number])[] = [
  ['tinytext', 'tinyblob', 255],
  ['text', 'blob', 65_535],
  ['mediumtext', 'mediumblob', 16_777_215],
  LONGEST,
];

/** Bytes per character of the multi-byte character sets (every other one uses one). */
const CHARSET_BYTES: Readonly<Record<string, number>> = {
  big5: 2,
  sjis: 2,
  cp932: 2,
  euckr: 2,
  gb2312: 2,
  gbk: 2,
  ucs2: 2,
  ujis: 3,
  eucjpms: 3,
  utf8: 3,
  utf8mb3: 3,
  utf8mb4: 4,
  utf16: 4,
  utf16le: 4,
  utf32: 4,
  gb18030: 4,
};

/** Under CHARACTER SET binary, MySQL stores the binary counterpart of a character type. */
const BINARY_COUNTERPART: Readonly<Record<string, string>> = {
  char: 'binary',
  varchar: 'varbinary',
  ...Object.fromEntries(LOB_SIZES.map(([text, blob]) => [text, blob])),
};

/**
 * The column as MariaDB 10.11's `information_schema.COLUMNS` would describe it once created.
 * `defaultCharset` is the table's character set, used only to size `TEXT(n)`.
 */
export function columnSpec(
  definition: ColumnDefinition,
  position: number,
  defaultCharset: string,
): ColumnSpec {
  const charset = definition.charset ?? defaultCharset;
  const dataType =
    charset === 'binary'
      ? (BINARY_COUNTERPART[definition.dataType] ?? definition.dataType)
      : definition.dataType;
  return {
    name: definition.name,
    position,
    ...sizes(dataType, definition.args, definition.unsigned, CHARSET_BYTES[charset] ?? 1),
    unsigned: definition.unsigned,
    nullable: definition.nullable,
    autoIncrement: definition.autoIncrement,
    json: definition.json,
  };
}

function sizes(dataType: string, args: readonly string[], unsigned: boolean, bytesPerChar: number): Sizes {
  const [first, second] = args.map(Number);
  const none: Sizes = {
    dataType,
    charLength: null,
    numericPrecision: null,
    numericScale: null,
    datetimePrecision: null,
  };
  const integer = INTEGER_DIGITS[dataType];
  if (integer) return { ...none, numericPrecision: integer[unsigned ? 1 : 0], numericScale: 0 };
  switch (dataType) {
    case 'decimal':
      return { ...none, numericPrecision: first ?? 10, numericScale: second ?? 0 };
    case 'float':
    case 'double':
      return floatSizes(dataType, first, second);
    case 'bit':
      return { ...none, numericPrecision: first ?? 1 };
    case 'time':
    case 'datetime':
    case 'timestamp':
      return { ...none, datetimePrecision: first ?? 0 };
    case 'char':
    case 'binary':
      return { ...none, charLength: first ?? 1 };
    case 'varchar':
    case 'varbinary':
      return { ...none, charLength: first ?? null };
    case 'json':
      return lobSizes('longtext', undefined, 1);
    case 'enum':
      return { ...none, charLength: Math.max(0, ...args.map(characters)) };
    case 'set':
      return {
        ...none,
        charLength: args.reduce((sum, value) => sum + characters(value), 0) + args.length - 1,
      };
    default:
      return LOB_SIZES.some((lob) => lob.includes(dataType)) ? lobSizes(dataType, first, bytesPerChar) : none;
  }
}

/** FLOAT(p) with p > 24 is a DOUBLE; FLOAT(m,d) and DOUBLE(m,d) keep their digits. */
function floatSizes(dataType: string, first: number | undefined, second: number | undefined): Sizes {
  const none = { charLength: null, datetimePrecision: null };
  if (second !== undefined)
    return { ...none, dataType, numericPrecision: first ?? null, numericScale: second };
  const double = dataType === 'double' || (first ?? 0) > 24;
  return {
    ...none,
    dataType: double ? 'double' : 'float',
    numericPrecision: double ? 22 : 12,
    numericScale: null,
  };
}

/** TEXT(n) and BLOB(n) become the smallest type that holds n characters (bytes for blobs). */
function lobSizes(dataType: string, length: number | undefined, bytesPerChar: number): Sizes {
  const blob = dataType.endsWith('blob');
  const bytes = length === undefined ? undefined : length * (blob ? 1 : bytesPerChar);
  const [text, blobType, max] =
    LOB_SIZES.find((lob) => (bytes === undefined ? lob.includes(dataType) : lob[2] >= bytes)) ?? LONGEST;
  return {
    dataType: blob ? blobType : text,
    charLength: max,
    numericPrecision: null,
    numericScale: null,
    datetimePrecision: null,
  };
}

function characters(value: string): number {
  return [...value].length;
}
