import { ByteWriter } from './byte-writer.js';
import { type ColumnType, decimalLength, isPlp, timeLength } from './column-type.js';
import { toWireDecimal } from './decimal.js';
import { parseInstant, ticksToScale, toUtc } from './temporal.js';

/**
 * A value as a handler gives it: numbers, bigint or text for integers and decimals (text is exact),
 * text for temporal types (`2024-01-02 03:04:05.1234567`, `... +05:30`) or a `Date`, text for
 * uniqueidentifier, `Buffer` for binary types, boolean for bit; `null`/`undefined` is NULL.
 */
export type SqlValue = null | undefined | boolean | number | bigint | string | Buffer | Date;

const PLP_NULL = 0xffff_ffff_ffff_ffffn;
const PLP_CHUNK = 8000;
const INT_SIZE = { tinyint: 1, smallint: 2, int: 4, bigint: 8 } as const;

/** Writes a NULL of the type, as a ROW token carries it. */
export function writeNull(type: ColumnType, w: ByteWriter): void {
  if (isPlp(type)) w.u64(PLP_NULL);
  else if ('length' in type) w.u16(0xffff);
  else w.u8(0);
}

/** Writes one value of the type (length prefix included), or its NULL. */
export function writeValue(type: ColumnType, value: SqlValue, w: ByteWriter): void {
  if (value === null || value === undefined) {
    writeNull(type, w);
    return;
  }
  switch (type.kind) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const size = INT_SIZE[type.kind];
      w.u8(size);
      if (size === 8) w.i64(BigInt(value as number | bigint | string));
      else if (size === 4) w.i32(Number(value));
      else if (size === 2) w.i16(Number(value));
      else w.u8(Number(value));
      return;
    }
    case 'bit':
      w.u8(1).u8(value ? 1 : 0);
      return;
    case 'float':
      w.u8(8).f64(Number(value));
      return;
    case 'real':
      w.u8(4).f32(Number(value));
      return;
    case 'uniqueidentifier':
      w.u8(16).bytes(guidBytes(String(value)));
      return;
    case 'decimal':
    case 'numeric': {
      const length = decimalLength(type.precision);
      const decimal = toWireDecimal(value as string | number | bigint, type.scale);
      w.u8(length)
        .u8(decimal.positive ? 1 : 0)
        .uint(decimal.magnitude, length - 1);
      return;
    }
    case 'date':
      w.u8(3).uint(BigInt(parseInstant(value as string | Date).days), 3);
      return;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      writeTemporal(type.kind, type.scale, value as string | Date, w);
      return;
    default:
      writeVariableLength(type, value, w);
  }
}

function writeTemporal(
  kind: 'time' | 'datetime2' | 'datetimeoffset',
  scale: number,
  value: string | Date,
  w: ByteWriter,
) {
  const local = parseInstant(value);
  const instant = kind === 'datetimeoffset' ? toUtc(local) : local;
  const bytes = timeLength(scale);
  const length = bytes + (kind === 'time' ? 0 : 3) + (kind === 'datetimeoffset' ? 2 : 0);
  w.u8(length).uint(BigInt(ticksToScale(instant.ticks, scale)), bytes);
  if (kind !== 'time') w.uint(BigInt(instant.days), 3);
  if (kind === 'datetimeoffset') w.i16(instant.offsetMinutes);
}

function writeVariableLength(type: ColumnType, value: SqlValue, w: ByteWriter): void {
  let bytes: Buffer;
  if (type.kind === 'nvarchar' || type.kind === 'nchar') bytes = Buffer.from(String(value), 'utf16le');
  else if (type.kind === 'varchar' || type.kind === 'char')
    bytes = Buffer.from(String(value), codePageOf(type.collation));
  else if (Buffer.isBuffer(value)) bytes = value;
  else throw new Error(`fake TDS: a ${type.kind} value must be a Buffer`);
  if (!isPlp(type)) {
    w.u16(bytes.length).bytes(bytes);
    return;
  }
  w.u64(BigInt(bytes.length));
  for (let at = 0; at < bytes.length; at += PLP_CHUNK) {
    const chunk = bytes.subarray(at, at + PLP_CHUNK);
    w.u32(chunk.length).bytes(chunk);
  }
  w.u32(0);
}

/** `utf8` for a collation with the UTF-8 flag, otherwise Latin-1 (code page 1252 minus 0x80–0x9F). */
function codePageOf(collation: Buffer): BufferEncoding {
  const utf8 = ((collation.readUInt32LE(0) >>> 26) & 0x01) === 1;
  return utf8 ? 'utf8' : 'latin1';
}

/** The 16 wire bytes of a GUID: the first three groups little-endian, the rest as written. */
export function guidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`fake TDS: "${text}" is not a uniqueidentifier`);
  const raw = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(raw.subarray(0, 4)).reverse(),
    Buffer.from(raw.subarray(4, 6)).reverse(),
    Buffer.from(raw.subarray(6, 8)).reverse(),
    raw.subarray(8),
  ]);
}
