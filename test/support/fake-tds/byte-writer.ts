/** A growable little-endian byte buffer for building TDS payloads and tokens. */
export class ByteWriter {
  private buffer = Buffer.alloc(256);
  private length = 0;

  get size(): number {
    return this.length;
  }

  /** Makes room for `bytes` more and returns where they go (call before reading `this.buffer`). */
  private reserve(bytes: number): number {
    const at = this.length;
    if (at + bytes > this.buffer.length) {
      const grown = Buffer.alloc(Math.max(this.buffer.length * 2, at + bytes));
      this.buffer.copy(grown, 0, 0, at);
      this.buffer = grown;
    }
    this.length += bytes;
    return at;
  }

  u8(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeUInt8(value, at);
    return this;
  }

  u16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16LE(value, at);
    return this;
  }

  u16be(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16BE(value, at);
    return this;
  }

  i16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeInt16LE(value, at);
    return this;
  }

  u32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32LE(value, at);
    return this;
  }

  u32be(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32BE(value, at);
    return this;
  }

  i32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeInt32LE(value, at);
    return this;
  }

  i64(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigInt64LE(value, at);
    return this;
  }

  u64(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigUInt64LE(value, at);
    return this;
  }

  /** An unsigned integer of `bytes` bytes (1–16), little-endian. */
  uint(value: bigint, bytes: number): this {
    const at = this.reserve(bytes);
    let rest = value;
    for (let i = 0; i < bytes; i++) {
      this.buffer[at + i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    return this;
  }

  f32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeFloatLE(value, at);
    return this;
  }

  f64(value: number): this {
    const at = this.reserve(8);
    this.buffer.writeDoubleLE(value, at);
    return this;
  }

  bytes(data: Uint8Array): this {
    const at = this.reserve(data.length);
    this.buffer.set(data, at);
    return this;
  }

  /** UTF-16LE text with no length prefix. */
  ucs2(text: string): this {
    return this.bytes(Buffer.from(text, 'utf16le'));
  }

  /** B_VARCHAR: u8 character count, then UTF-16LE. */
  bVarchar(text: string): this {
    return this.u8(text.length).ucs2(text);
  }

  /** US_VARCHAR: u16 character count, then UTF-16LE. */
  usVarchar(text: string): this {
    return this.u16(text.length).ucs2(text);
  }

  /** B_VARBYTE: u8 byte count, then the bytes. */
  bVarbyte(data: Uint8Array): this {
    return this.u8(data.length).bytes(data);
  }

  /** Overwrites a u16 written earlier (for length fields known only at the end). */
  patchU16(at: number, value: number): void {
    this.buffer.writeUInt16LE(value, at);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}
