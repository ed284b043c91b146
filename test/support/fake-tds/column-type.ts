import { ByteWriter } from './byte-writer.js';
import { LATIN1_GENERAL_CI_AS } from './tokens.js';

/** TYPE_INFO type bytes (MS-TDS 2.2.5.4). */
export const TypeId = {
  guid: 0x24,
  intN: 0x26,
  date: 0x28,
  time: 0x29,
  datetime2: 0x2a,
  datetimeOffset: 0x2b,
  bitN: 0x68,
  decimalN: 0x6a,
  numericN: 0x6c,
  floatN: 0x6d,
  bigVarBinary: 0xa5,
  bigVarChar: 0xa7,
  bigBinary: 0xad,
  bigChar: 0xaf,
  nVarChar: 0xe7,
  nChar: 0xef,
} as const;

/** `length` 0xFFFF in TYPE_INFO: a `(max)` type sent as PLP chunks. */
export const MAX_LENGTH = 0xffff;

/** A column type the fake can encode, parsed from its SQL spelling. */
export type ColumnType =
  | { readonly kind: 'int' | 'bigint' | 'smallint' | 'tinyint' | 'bit' | 'float' | 'real' }
  | { readonly kind: 'uniqueidentifier' | 'date' }
  | { readonly kind: 'time' | 'datetime2' | 'datetimeoffset'; readonly scale: number }
  | { readonly kind: 'decimal' | 'numeric'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'nvarchar' | 'nchar'; readonly length: number | 'max' }
  | { readonly kind: 'varchar' | 'char'; readonly length: number | 'max'; readonly collation: Buffer }
  | { readonly kind: 'varbinary' | 'binary'; readonly length: number | 'max' };

/**
 * Parses a SQL Server type as written in DDL: `int`, `nvarchar(max)`, `decimal(38,10)`, `binary(10)`,
 * `datetime2(7)`… `collation` (5 bytes) applies to `varchar`/`char`; Latin1_General_CI_AS by default.
 */
export function parseColumnType(sql: string, collation: Buffer = LATIN1_GENERAL_CI_AS): ColumnType {
  const match = /^\s*(\w+)\s*(?:\(\s*(\w+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(sql.toLowerCase());
  if (!match) throw new Error(`fake TDS: cannot parse column type "${sql}"`);
  const [, name = '', first, second] = match;
  const size = (fallback: number) => (first === 'max' ? 'max' : first ? Number(first) : fallback);
  switch (name) {
    case 'int':
    case 'bigint':
    case 'smallint':
    case 'tinyint':
    case 'bit':
    case 'float':
    case 'real':
    case 'uniqueidentifier':
    case 'date':
      return { kind: name };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return { kind: name, scale: first ? Number(first) : 7 };
    case 'decimal':
    case 'numeric':
      return { kind: name, precision: first ? Number(first) : 18, scale: second ? Number(second) : 0 };
    case 'nvarchar':
    case 'nchar':
      return { kind: name, length: size(1) };
    case 'varchar':
    case 'char':
      return { kind: name, length: size(1), collation };
    case 'varbinary':
    case 'binary':
      return { kind: name, length: size(1) };
    default:
      throw new Error(`fake TDS: column type "${sql}" is not supported`);
  }
}

/** Whether values of this type travel as PLP chunks. */
export function isPlp(type: ColumnType): boolean {
  return 'length' in type && type.length === 'max';
}

/** Byte length of a `decimal(p, s)` value on the wire, the sign byte included. */
export function decimalLength(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

/** Bytes of the time part at a fractional-seconds scale. */
export function timeLength(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

const INT_SIZE = { tinyint: 1, smallint: 2, int: 4, bigint: 8 } as const;

/** Writes TYPE_INFO for a column of COLMETADATA. */
export function writeTypeInfo(type: ColumnType, w: ByteWriter): void {
  const maxLength = (length: number | 'max', unit: number) => (length === 'max' ? MAX_LENGTH : length * unit);
  switch (type.kind) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      w.u8(TypeId.intN).u8(INT_SIZE[type.kind]);
      return;
    case 'bit':
      w.u8(TypeId.bitN).u8(1);
      return;
    case 'float':
    case 'real':
      w.u8(TypeId.floatN).u8(type.kind === 'float' ? 8 : 4);
      return;
    case 'uniqueidentifier':
      w.u8(TypeId.guid).u8(16);
      return;
    case 'date':
      w.u8(TypeId.date);
      return;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const id = { time: TypeId.time, datetime2: TypeId.datetime2, datetimeoffset: TypeId.datetimeOffset };
      w.u8(id[type.kind]).u8(type.scale);
      return;
    }
    case 'decimal':
    case 'numeric':
      w.u8(type.kind === 'decimal' ? TypeId.decimalN : TypeId.numericN)
        .u8(decimalLength(type.precision))
        .u8(type.precision)
        .u8(type.scale);
      return;
    case 'nvarchar':
    case 'nchar':
      w.u8(type.kind === 'nvarchar' ? TypeId.nVarChar : TypeId.nChar)
        .u16(maxLength(type.length, 2))
        .bytes(LATIN1_GENERAL_CI_AS);
      return;
    case 'varchar':
    case 'char':
      w.u8(type.kind === 'varchar' ? TypeId.bigVarChar : TypeId.bigChar)
        .u16(maxLength(type.length, 1))
        .bytes(type.collation);
      return;
    case 'varbinary':
    case 'binary':
      w.u8(type.kind === 'varbinary' ? TypeId.bigVarBinary : TypeId.bigBinary).u16(maxLength(type.length, 1));
      return;
  }
}
