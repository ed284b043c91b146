import type { Writable } from 'node:stream';
import { HEADER_LENGTH, packetHeader } from './packet.js';

/** Counters that show whether the server respected back-pressure. */
export interface WriteStats {
  /** Times a write found the socket buffer full and waited for `drain`. */
  drainWaits: number;
  /** Bytes handed to the socket. */
  bytesWritten: number;
  /** Whether a reply is waiting for `drain` right now. */
  waitingForDrain: boolean;
}

/**
 * Streams one TDS message as packets of the negotiated size: bytes appended are cut into full
 * packets as they accumulate; `end()` sends the last packet with end-of-message. When the socket's
 * buffer is full, `append` waits for `drain` — the server never buffers more than a packet ahead.
 */
export class MessageWriter {
  private chunks: Buffer[] = [];
  private length = 0;
  private packetId = 1;

  constructor(
    private readonly sink: Writable,
    private readonly type: number,
    private readonly packetSize: number,
    private readonly stats: WriteStats,
  ) {}

  /** Appends bytes (whole tokens) and sends every full packet, waiting on back-pressure. */
  async append(bytes: Buffer): Promise<void> {
    this.chunks.push(bytes);
    this.length += bytes.length;
    const room = this.packetSize - HEADER_LENGTH;
    if (this.length <= room) return;
    let data = Buffer.concat(this.chunks);
    while (data.length > room) {
      await this.send(data.subarray(0, room), false);
      data = data.subarray(room);
    }
    this.chunks = [data];
    this.length = data.length;
  }

  /** Sends what is buffered as a packet without end-of-message (a server going silent mid-result). */
  async flush(): Promise<void> {
    if (this.length === 0) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.length = 0;
    await this.send(data, false);
  }

  /** Sends what is left as the last packet of the message. */
  async end(): Promise<void> {
    await this.send(Buffer.concat(this.chunks), true);
    this.chunks = [];
    this.length = 0;
  }

  private async send(body: Buffer, last: boolean): Promise<void> {
    const packet = Buffer.concat([packetHeader(this.type, last, body.length, this.packetId), body]);
    this.packetId = (this.packetId + 1) % 256;
    this.stats.bytesWritten += packet.length;
    if (this.sink.destroyed) return;
    if (this.sink.write(packet)) {
      // Let the event loop read the socket: an ATTENTION must be seen even while rows stream freely.
      await new Promise((resolve) => setImmediate(resolve));
    } else {
      this.stats.drainWaits += 1;
      this.stats.waitingForDrain = true;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stats.waitingForDrain = false;
          this.sink.off('drain', done);
          this.sink.off('close', done);
          resolve();
        };
        this.sink.on('drain', done);
        this.sink.on('close', done);
      });
    }
  }
}
