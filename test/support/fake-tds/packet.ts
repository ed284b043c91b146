/** TDS packet types (MS-TDS 2.2.3.1.1) that the fake reads or writes. */
export const PacketType = {
  sqlBatch: 0x01,
  rpc: 0x03,
  reply: 0x04,
  attention: 0x06,
  transactionManager: 0x0e,
  login7: 0x10,
  prelogin: 0x12,
} as const;

export const HEADER_LENGTH = 8;
/** Status bit: the last packet of a message. */
export const STATUS_EOM = 0x01;
/** Status bit: the client asks to reset the session before this request. */
export const STATUS_RESET_CONNECTION = 0x08;

/** One whole message reassembled from its packets. */
export interface TdsMessage {
  readonly type: number;
  /** The status byte of the first packet (RESETCONNECTION lives there). */
  readonly status: number;
  readonly payload: Buffer;
}

/**
 * Frames a payload as packets of at most `packetSize` bytes (header included): an 8-byte header with
 * the length big-endian, the last packet marked end-of-message.
 */
export function framePackets(type: number, payload: Buffer, packetSize: number, firstId = 1): Buffer[] {
  const room = packetSize - HEADER_LENGTH;
  const packets: Buffer[] = [];
  let offset = 0;
  let id = firstId;
  do {
    const body = payload.subarray(offset, offset + room);
    offset += body.length;
    packets.push(Buffer.concat([packetHeader(type, offset >= payload.length, body.length, id), body]));
    id = (id + 1) % 256;
  } while (offset < payload.length);
  return packets;
}

/** The 8-byte header of one packet (spid 0, window 0). */
export function packetHeader(type: number, last: boolean, bodyLength: number, id: number): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(type, 0);
  header.writeUInt8(last ? STATUS_EOM : 0, 1);
  header.writeUInt16BE(HEADER_LENGTH + bodyLength, 2);
  header.writeUInt16BE(0, 4);
  header.writeUInt8(id, 6);
  header.writeUInt8(0, 7);
  return header;
}

/**
 * Reassembles messages from a byte stream cut anywhere: feed it chunks, it returns the messages
 * completed so far (packets collected until the end-of-message bit).
 */
export class PacketAssembler {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private first: { type: number; status: number } | undefined;

  push(chunk: Buffer): TdsMessage[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: TdsMessage[] = [];
    while (this.pending.length >= HEADER_LENGTH) {
      const length = this.pending.readUInt16BE(2);
      if (length < HEADER_LENGTH) throw new Error(`TDS packet length ${length} is shorter than its header`);
      if (this.pending.length < length) break;
      const type = this.pending.readUInt8(0);
      const status = this.pending.readUInt8(1);
      this.first ??= { type, status };
      this.parts.push(this.pending.subarray(HEADER_LENGTH, length));
      this.pending = this.pending.subarray(length);
      if (status & STATUS_EOM) {
        messages.push({ ...this.first, payload: Buffer.concat(this.parts) });
        this.parts = [];
        this.first = undefined;
      }
    }
    return messages;
  }

  /** Bytes received that do not yet form a whole packet. */
  get buffered(): number {
    return this.pending.length;
  }
}
