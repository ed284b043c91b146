/** Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC). */
const POSTGRES_EPOCH_MS = 946_684_800_000n;

/**
 * A Standby Status Update ('r'): the positions written, flushed and applied, the client's clock,
 * and whether the server should answer at once with a keepalive. For a logical slot, `flushed`
 * becomes the slot's confirmed position (0 leaves it alone), so it carries only acknowledged
 * offsets. pg-logical-replication's own `acknowledge` adds 1 to the LSN and its periodic status
 * sends the last received LSN, which would acknowledge on receipt; hence this message.
 */
export function standbyStatusUpdate(written: bigint, flushed: bigint, replyRequested: boolean): Buffer {
  const message = Buffer.alloc(34);
  message.write('r', 0, 'latin1');
  message.writeBigUInt64BE(written, 1);
  message.writeBigUInt64BE(flushed, 9);
  message.writeBigUInt64BE(flushed, 17);
  message.writeBigInt64BE((BigInt(Date.now()) - POSTGRES_EPOCH_MS) * 1000n, 25);
  message.writeUInt8(replyRequested ? 1 : 0, 33);
  return message;
}
