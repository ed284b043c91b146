import { ByteReader, MalformedPayloadError } from './byte-reader.js';
import { MAX_LENGTH, TypeId } from './column-type.js';
import { formatWireDecimal } from './decimal.js';
import { dateFromDays, formatTime, toUtc } from './temporal.js';
import type { SqlValue } from './value-encoder.js';

/** One RPC parameter as the client sent it. */
export interface RpcParameter {
  /** Without the leading `@`. */
  readonly name: string;
  /** The TYPE_INFO type byte in hex with its size, e.g. `0x26(4)`, `0xe7(max)`. */
  readonly wireType: string;
  /**
   * Decoded: integers up to 4 bytes as number, 8-byte integers as bigint, decimals/dates/times and
   * uniqueidentifier as text, binary as Buffer, bit as boolean, NULL as null.
   */
  readonly value: SqlValue;
  /** The OUTPUT flag. */
  readonly output: boolean;
}

/** An RPC request: the procedure (name, or `sp_executesql` etc. for well-known ids) and parameters. */
export interface RpcRequest {
  readonly procedure: string;
  readonly parameters: readonly RpcParameter[];
}

const PROCEDURES: Record<number, string> = {
  10: 'sp_executesql',
  11: 'sp_prepare',
  12: 'sp_execute',
  13: 'sp_prepexec',
};

/** Skips ALL_HEADERS (a u32 total length, itself included). */
function skipAllHeaders(payload: Buffer): ByteReader {
  const reader = new ByteReader(payload);
  const length = reader.u32();
  reader.offset = length;
  return reader;
}

/** The SQL text of a SQL_BATCH: ALL_HEADERS, then UTF-16LE to the end. */
export function decodeSqlBatch(payload: Buffer): string {
  const reader = skipAllHeaders(payload);
  return reader.bytes(reader.remaining).toString('utf16le');
}

/** Decodes an RPC request (MS-TDS 2.2.6.6): procedure, option flags, then each parameter. */
export function decodeRpc(payload: Buffer): RpcRequest {
  const reader = skipAllHeaders(payload);
  const nameLength = reader.u16();
  const procedure = nameLength === 0xffff ? (PROCEDURES[reader.u16()] ?? 'unknown') : reader.ucs2(nameLength);
  reader.u16(); // option flags
  const parameters: RpcParameter[] = [];
  while (reader.remaining > 0) {
    const name = reader.bVarchar().replace(/^@/, '');
    const output = (reader.u8() & 0x01) !== 0;
    const { wireType, value } = decodeTypedValue(reader);
    parameters.push({ name, wireType, value, output });
  }
  return { procedure, parameters };
}

/** Reads TYPE_INFO then the value it describes. */
function decodeTypedValue(reader: ByteReader): { wireType: string; value: SqlValue } {
  const id = reader.u8();
  const hex = `0x${id.toString(16).padStart(2, '0')}`;
  switch (id) {
    case TypeId.intN:
    case TypeId.bitN:
    case TypeId.floatN:
    case TypeId.guid: {
      const size = reader.u8();
      const length = reader.u8();
      return { wireType: `${hex}(${size})`, value: length === 0 ? null : fixedValue(id, length, reader) };
    }
    case TypeId.decimalN:
    case TypeId.numericN: {
      reader.u8(); // size
      const precision = reader.u8();
      const scale = reader.u8();
      const length = reader.u8();
      if (length === 0) return { wireType: `${hex}(${precision},${scale})`, value: null };
      const positive = reader.u8() === 1;
      const magnitude = reader.uint(length - 1);
      return {
        wireType: `${hex}(${precision},${scale})`,
        value: formatWireDecimal({ positive, magnitude }, scale),
      };
    }
    case TypeId.date:
    case TypeId.time:
    case TypeId.datetime2:
    case TypeId.datetimeOffset:
      return decodeTemporal(id, hex, reader);
    case TypeId.nVarChar:
    case TypeId.nChar:
    case TypeId.bigVarChar:
    case TypeId.bigChar:
    case TypeId.bigVarBinary:
    case TypeId.bigBinary:
      return decodeVariableLength(id, hex, reader);
    default:
      throw new MalformedPayloadError(`fake TDS: parameter type ${hex} is not supported`);
  }
}

function fixedValue(id: number, length: number, reader: ByteReader): SqlValue {
  if (id === TypeId.bitN) return reader.u8() !== 0;
  if (id === TypeId.floatN) return length === 4 ? reader.f32() : reader.f64();
  if (id === TypeId.intN) return reader.int(length);
  const b = reader.bytes(16);
  const group = (from: number, to: number) => Buffer.from(b.subarray(from, to)).reverse().toString('hex');
  return [
    group(0, 4),
    group(4, 6),
    group(6, 8),
    b.subarray(8, 10).toString('hex'),
    b.subarray(10).toString('hex'),
  ]
    .join('-')
    .toUpperCase();
}

function decodeTemporal(id: number, hex: string, reader: ByteReader): { wireType: string; value: SqlValue } {
  const scale = id === TypeId.date ? 0 : reader.u8();
  const wireType = id === TypeId.date ? hex : `${hex}(${scale})`;
  const length = reader.u8();
  if (length === 0) return { wireType, value: null };
  if (id === TypeId.date) return { wireType, value: dateFromDays(Number(reader.uint(3))) };
  const timeBytes = length - (id === TypeId.time ? 0 : 3) - (id === TypeId.datetimeOffset ? 2 : 0);
  const units = Number(reader.uint(timeBytes));
  if (id === TypeId.time) return { wireType, value: formatTime(units, scale) };
  const dateDays = Number(reader.uint(3));
  if (id === TypeId.datetime2)
    return { wireType, value: `${dateFromDays(dateDays)} ${formatTime(units, scale)}` };
  const offset = reader.buffer.readInt16LE(reader.offset);
  reader.offset += 2;
  const unit = 10 ** (7 - scale);
  const local = toUtc({ days: dateDays, ticks: units * unit, offsetMinutes: -offset });
  const sign = offset < 0 ? '-' : '+';
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return { wireType, value: `${dateFromDays(local.days)} ${formatTime(local.ticks / unit, scale)} ${zone}` };
}

function decodeVariableLength(
  id: number,
  hex: string,
  reader: ByteReader,
): { wireType: string; value: SqlValue } {
  const maxLength = reader.u16();
  const textual = id !== TypeId.bigVarBinary && id !== TypeId.bigBinary;
  if (textual) reader.bytes(5); // collation
  const wireType = `${hex}(${maxLength === MAX_LENGTH ? 'max' : maxLength})`;
  let bytes: Buffer | null;
  if (maxLength === MAX_LENGTH) bytes = readPlp(reader);
  else {
    const length = reader.u16();
    bytes = length === 0xffff ? null : Buffer.from(reader.bytes(length));
  }
  if (bytes === null) return { wireType, value: null };
  if (!textual) return { wireType, value: bytes };
  const unicode = id === TypeId.nVarChar || id === TypeId.nChar;
  return { wireType, value: bytes.toString(unicode ? 'utf16le' : 'latin1') };
}

function readPlp(reader: ByteReader): Buffer | null {
  const total = reader.u64();
  if (total === 0xffff_ffff_ffff_ffffn) return null;
  const chunks: Buffer[] = [];
  for (let length = reader.u32(); length > 0; length = reader.u32()) chunks.push(reader.bytes(length));
  return Buffer.concat(chunks);
}
