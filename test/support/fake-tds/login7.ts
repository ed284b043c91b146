import { ByteReader } from './byte-reader.js';

/** The fields of a LOGIN7 message the fake uses (MS-TDS 2.2.6.4). */
export interface Login7 {
  readonly tdsVersion: number;
  readonly packetSize: number;
  readonly hostName: string;
  readonly userName: string;
  /** De-obfuscated. */
  readonly password: string;
  readonly appName: string;
  readonly serverName: string;
  readonly database: string;
}

/** Offsets of the offset/length pairs in the fixed part of LOGIN7. */
const Field = { hostName: 36, userName: 40, password: 44, appName: 48, serverName: 52, database: 68 };

/** Parses a LOGIN7 payload; the password is de-obfuscated (XOR 0xA5, then swap the nibbles). */
export function parseLogin7(payload: Buffer): Login7 {
  const fixed = new ByteReader(payload);
  fixed.u32(); // total length
  const tdsVersion = fixed.u32();
  const packetSize = fixed.u32();
  const text = (at: number, transform?: (bytes: Buffer) => Buffer) => {
    const offset = payload.readUInt16LE(at);
    const characters = payload.readUInt16LE(at + 2);
    const bytes = Buffer.from(new ByteReader(payload.subarray(offset)).bytes(characters * 2));
    return (transform ? transform(bytes) : bytes).toString('utf16le');
  };
  return {
    tdsVersion,
    packetSize,
    hostName: text(Field.hostName),
    userName: text(Field.userName),
    password: text(Field.password, deobfuscatePassword),
    appName: text(Field.appName),
    serverName: text(Field.serverName),
    database: text(Field.database),
  };
}

/** Reverses the client's password scrambling: each byte XOR 0xA5, then its high and low nibbles swapped. */
export function deobfuscatePassword(bytes: Buffer): Buffer {
  return Buffer.from(
    bytes.map((byte) => {
      const x = byte ^ 0xa5;
      return ((x & 0x0f) << 4) | (x >> 4);
    }),
  );
}
