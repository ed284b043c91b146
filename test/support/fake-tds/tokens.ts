import { ByteWriter } from './byte-writer.js';

/** Token types (MS-TDS 2.2.7) that the fake writes. */
export const Token = {
  returnStatus: 0x79,
  colMetadata: 0x81,
  error: 0xaa,
  info: 0xab,
  loginAck: 0xad,
  row: 0xd1,
  nbcRow: 0xd2,
  envChange: 0xe3,
  done: 0xfd,
  doneProc: 0xfe,
  doneInProc: 0xff,
} as const;

/** DONE status bits. */
export const DoneStatus = { final: 0x00, more: 0x01, error: 0x02, count: 0x10, attention: 0x20 } as const;

/** ENVCHANGE types. */
export const EnvChange = {
  database: 1,
  packetSize: 4,
  collation: 7,
  beginTransaction: 8,
  commitTransaction: 9,
  rollbackTransaction: 10,
} as const;

/** The 5-byte collation Latin1_General_CI_AS (LCID 0x0409, sort id 52: code page 1252). */
export const LATIN1_GENERAL_CI_AS = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);
/** Latin1_General_100_CI_AS_SC_UTF8 (LCID 0x0409, the UTF-8 flag, version 2): `varchar` holds UTF-8. */
export const LATIN1_GENERAL_100_CI_AS_SC_UTF8 = Buffer.from([0x09, 0x04, 0xd0, 0x24, 0x00]);

/** A server message: an ERROR (class ≥ 11) or INFO token. */
export interface ServerMessage {
  readonly number: number;
  readonly state: number;
  /** The severity ("class"); 11 and above is an error. */
  readonly severity: number;
  readonly message: string;
  readonly serverName?: string;
  readonly procName?: string;
  readonly line?: number;
}

export function loginAck(tdsVersion: number, w = new ByteWriter()): ByteWriter {
  const body = new ByteWriter()
    .u8(1)
    .u32be(tdsVersion)
    .bVarchar('Microsoft SQL Server')
    .bytes(Buffer.from([16, 0, 0x03, 0xe8]));
  return w.u8(Token.loginAck).u16(body.size).bytes(body.toBuffer());
}

/** ENVCHANGE with B_VARCHAR values (database, packet size). */
export function envChangeText(type: number, next: string, previous: string, w = new ByteWriter()) {
  const body = new ByteWriter().u8(type).bVarchar(next).bVarchar(previous);
  return w.u8(Token.envChange).u16(body.size).bytes(body.toBuffer());
}

/** ENVCHANGE with B_VARBYTE values (collation, transaction descriptors). */
export function envChangeBytes(type: number, next: Uint8Array, previous: Uint8Array, w = new ByteWriter()) {
  const body = new ByteWriter().u8(type).bVarbyte(next).bVarbyte(previous);
  return w.u8(Token.envChange).u16(body.size).bytes(body.toBuffer());
}

export function serverMessage(message: ServerMessage, w = new ByteWriter()): ByteWriter {
  const body = new ByteWriter()
    .i32(message.number)
    .u8(message.state)
    .u8(message.severity)
    .usVarchar(message.message)
    .bVarchar(message.serverName ?? 'fake-tds')
    .bVarchar(message.procName ?? '')
    .u32(message.line ?? 1);
  const token = message.severity >= 11 ? Token.error : Token.info;
  return w.u8(token).u16(body.size).bytes(body.toBuffer());
}

/** DONE, DONEINPROC or DONEPROC: u16 status, u16 current command, u64 row count. */
export function done(token: number, status: number, rowCount = 0, w = new ByteWriter()): ByteWriter {
  return w.u8(token).u16(status).u16(0xc1).u64(BigInt(rowCount));
}

export function returnStatus(value: number, w = new ByteWriter()): ByteWriter {
  return w.u8(Token.returnStatus).i32(value);
}
