/** The ENCRYPTION option of PRELOGIN (MS-TDS 2.2.6.5). */
export const Encryption = { off: 0x00, on: 0x01, notSupported: 0x02, required: 0x03 } as const;
export type EncryptionName = keyof typeof Encryption;

const Option = { version: 0x00, encryption: 0x01, instance: 0x02, threadId: 0x03, mars: 0x04, end: 0xff };

/** What the client's PRELOGIN said. */
export interface ClientPrelogin {
  /** The client's ENCRYPTION byte (undefined when absent). */
  readonly encryption: number | undefined;
  /** The client library version, `major.minor.build.subbuild`. */
  readonly version: string | undefined;
}

/** Reads the option table of a client PRELOGIN: `[token u8][offset u16 BE][length u16 BE]`… `0xFF`. */
export function parsePrelogin(payload: Buffer): ClientPrelogin {
  let encryption: number | undefined;
  let version: string | undefined;
  for (let at = 0; at + 5 <= payload.length && payload[at] !== Option.end; at += 5) {
    const token = payload.readUInt8(at);
    const offset = payload.readUInt16BE(at + 1);
    const length = payload.readUInt16BE(at + 3);
    if (token === Option.encryption && length >= 1) encryption = payload.readUInt8(offset);
    if (token === Option.version && length >= 6) {
      const v = payload.subarray(offset, offset + 6);
      version = `${v[0]}.${v[1]}.${v.readUInt16BE(2)}.${v.readUInt16BE(4)}`;
    }
  }
  return { encryption, version };
}

/** The server's PRELOGIN answer: version 16.0.1000 (SQL Server 2022), the given encryption, no MARS. */
export function encodePreloginResponse(encryption: number): Buffer {
  const options: Array<[number, Buffer]> = [
    [Option.version, Buffer.from([16, 0, 0x03, 0xe8, 0, 0])],
    [Option.encryption, Buffer.from([encryption])],
    [Option.instance, Buffer.from([0])],
    [Option.threadId, Buffer.alloc(4)],
    [Option.mars, Buffer.from([0])],
  ];
  const table = Buffer.alloc(options.length * 5 + 1);
  let dataOffset = table.length;
  options.forEach(([token, data], i) => {
    table.writeUInt8(token, i * 5);
    table.writeUInt16BE(dataOffset, i * 5 + 1);
    table.writeUInt16BE(data.length, i * 5 + 3);
    dataOffset += data.length;
  });
  table.writeUInt8(Option.end, options.length * 5);
  return Buffer.concat([table, ...options.map(([, data]) => data)]);
}

/** What the server answers and does after PRELOGIN. */
export interface Negotiated {
  readonly answer: EncryptionName;
  /** Run the TLS handshake inside PRELOGIN, then encrypt the whole session. */
  readonly tls: boolean;
  /** Close after answering (encryption required, the client cannot). */
  readonly close: boolean;
}

/**
 * Negotiates ENCRYPTION as SQL Server does (MS-TDS 2.2.6.5), for a server configured `on` (TLS
 * available), `required` (forced) or `off`/`notSupported` (the answer is sent whatever the client
 * asked — the downgrade a man in the middle could forge). A client without TLS (NOT_SUP) gets
 * NOT_SUP from `on` and REQ-then-close from `required`. Login-only encryption (client OFF, server
 * OFF) is not modelled: a client saying OFF is treated as asking for encryption.
 */
export function negotiateEncryption(configured: EncryptionName, client: number | undefined): Negotiated {
  const clientCannot = client === undefined || client === Encryption.notSupported;
  if (configured === 'on')
    return clientCannot
      ? { answer: 'notSupported', tls: false, close: false }
      : { answer: 'on', tls: true, close: false };
  if (configured === 'required') return { answer: 'required', tls: !clientCannot, close: clientCannot };
  return { answer: configured, tls: false, close: false };
}
