/** Thrown when a client payload does not parse; the connection answers it with a protocol error. */
export class MalformedPayloadError extends Error {
  override readonly name = 'MalformedPayloadError';
}

/** A cursor over a received little-endian payload. */
export class ByteReader {
  offset = 0;

  constructor(readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(bytes: number): number {
    if (this.offset + bytes > this.buffer.length) {
      throw new MalformedPayloadError(
        `payload ends at ${this.buffer.length}, wanted ${bytes} at ${this.offset}`,
      );
    }
    const at = this.offset;
    this.offset += bytes;
    return at;
  }

  u8(): number {
    return this.buffer.readUInt8(this.take(1));
  }

  u16(): number {
    return this.buffer.readUInt16LE(this.take(2));
  }

  u32(): number {
    return this.buffer.readUInt32LE(this.take(4));
  }

  i32(): number {
    return this.buffer.readInt32LE(this.take(4));
  }

  u64(): bigint {
    return this.buffer.readBigUInt64LE(this.take(8));
  }

  /** An unsigned integer of `bytes` bytes, little-endian. */
  uint(bytes: number): bigint {
    const at = this.take(bytes);
    let value = 0n;
    for (let i = bytes - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.buffer[at + i] ?? 0);
    return value;
  }

  /** A signed integer of 1, 2, 4 or 8 bytes. */
  int(bytes: number): number | bigint {
    const at = this.take(bytes);
    switch (bytes) {
      case 1:
        return this.buffer.readUInt8(at);
      case 2:
        return this.buffer.readInt16LE(at);
      case 4:
        return this.buffer.readInt32LE(at);
      case 8:
        return this.buffer.readBigInt64LE(at);
      default:
        throw new MalformedPayloadError(`no integer of ${bytes} bytes`);
    }
  }

  f32(): number {
    return this.buffer.readFloatLE(this.take(4));
  }

  f64(): number {
    return this.buffer.readDoubleLE(this.take(8));
  }

  bytes(count: number): Buffer {
    const at = this.take(count);
    return this.buffer.subarray(at, at + count);
  }

  ucs2(characters: number): string {
    return this.bytes(characters * 2).toString('utf16le');
  }

  bVarchar(): string {
    return this.ucs2(this.u8());
  }

  usVarchar(): string {
    return this.ucs2(this.u16());
  }
}
