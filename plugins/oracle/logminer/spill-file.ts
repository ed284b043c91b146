import { closeSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { BufferedChange } from './logminer-row.js';

/** Bytes gathered before one write, and read per chunk when replaying. */
const WRITE_BATCH = 64 * 1024;
const READ_CHUNK = 1024 * 1024;
/** Record framing: u32 length, u8 live flag, JSON payload, u32 length (so it reads backwards too). */
const HEAD = 5;
const TAIL = 4;

/**
 * The changes of one large open transaction, appended to a file on disk so memory stays bounded
 * whatever the transaction size. Records are length-framed JSON with a live flag; cancelling a
 * change (a `ROLLBACK = 1` row) clears the flag of the latest live record with that ROW_ID, scanning
 * back from the end (undo rows target the newest changes, so the scan is short; records past the
 * last live one are cut off the file). Writes are synchronous and batched; `replay` streams the
 * live records back in order, reading one chunk at a time. The owner calls `remove` when done.
 */
export class SpillFile {
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** End of the data written to the file (pending bytes follow it). */
  private written = 0;
  private removed = false;
  liveCount = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx+', 0o600);
  }

  append(change: BufferedChange): void {
    const payload = Buffer.from(JSON.stringify(change));
    const record = Buffer.allocUnsafe(HEAD + payload.length + TAIL);
    record.writeUInt32BE(payload.length, 0);
    record[4] = 1;
    payload.copy(record, HEAD);
    record.writeUInt32BE(payload.length, HEAD + payload.length);
    this.pending.push(record);
    this.pendingBytes += record.length;
    this.liveCount++;
    if (this.pendingBytes >= WRITE_BATCH) this.flush();
  }

  /** Marks the latest live change with `rowId` as removed; false when there is none. */
  cancelLatest(rowId: string): boolean {
    this.flush();
    let end = this.written;
    let trailingDead = true;
    while (end > 0) {
      const { start, live, change } = this.recordEndingAt(end);
      if (live && change.rowId === rowId) {
        writeSync(this.fd, Buffer.of(0), 0, 1, start + 4);
        this.liveCount--;
        if (trailingDead) this.cutDeadTail(start);
        return true;
      }
      if (live) trailingDead = false;
      end = start;
    }
    return false;
  }

  /** The live changes in the order they were appended. */
  async *replay(): AsyncGenerator<BufferedChange> {
    this.flush();
    const handle = await open(this.path, 'r');
    try {
      let carry = Buffer.alloc(0);
      let position = 0;
      while (position < this.written) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, this.written - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        position += bytesRead;
        let data =
          carry.length > 0
            ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
            : chunk.subarray(0, bytesRead);
        let at = 0;
        while (at + HEAD <= data.length) {
          const length = data.readUInt32BE(at);
          const next = at + HEAD + length + TAIL;
          if (next > data.length) break;
          if (data[at + 4] === 1)
            yield JSON.parse(data.toString('utf8', at + HEAD, at + HEAD + length)) as BufferedChange;
          at = next;
        }
        data = data.subarray(at);
        carry = Buffer.from(data);
      }
    } finally {
      await handle.close();
    }
  }

  /** Closes and deletes the file; safe to call more than once. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    this.pending = [];
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const batch = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < batch.length)
      done += writeSync(this.fd, batch, done, batch.length - done, this.written + done);
    this.written += batch.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private recordEndingAt(end: number): { start: number; live: boolean; change: BufferedChange } {
    const tail = Buffer.alloc(TAIL);
    readSync(this.fd, tail, 0, TAIL, end - TAIL);
    const length = tail.readUInt32BE(0);
    const start = end - TAIL - length - HEAD;
    const record = Buffer.alloc(HEAD + length);
    readSync(this.fd, record, 0, record.length, start);
    const change = JSON.parse(record.toString('utf8', HEAD)) as BufferedChange;
    return { start, live: record[4] === 1, change };
  }

  /** Drops the records from `end` on (all dead), and any dead ones just before them. */
  private cutDeadTail(end: number): void {
    let cut = end;
    while (cut > 0) {
      const { start, live } = this.recordEndingAt(cut);
      if (live) break;
      cut = start;
    }
    ftruncateSync(this.fd, cut);
    this.written = cut;
  }
}
