import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { DoneStatus, done, EnvChange, envChangeBytes, Token } from './tokens.js';

/** The answer to a transaction-manager request (MS-TDS 2.2.6.9). */
export interface TransactionAnswer {
  readonly request: 'begin' | 'commit' | 'rollback' | 'save' | 'other';
  readonly isolationLevel?: number;
  readonly reply: Buffer;
}

const REQUESTS = { 5: 'begin', 7: 'commit', 8: 'rollback', 9: 'save' } as const;
let nextDescriptor = 1n;

/**
 * Answers BEGIN/COMMIT/ROLLBACK as SQL Server does: ENVCHANGE 8/9/10 carrying an 8-byte transaction
 * descriptor, then DONE. The fake keeps no transaction state: it is the handler's to model.
 */
export function answerTransaction(payload: Buffer): TransactionAnswer {
  const reader = new ByteReader(payload);
  reader.offset = reader.u32(); // ALL_HEADERS
  const type = reader.u16();
  const request = REQUESTS[type as keyof typeof REQUESTS] ?? 'other';
  const w = new ByteWriter();
  const descriptor = Buffer.alloc(8);
  let isolationLevel: number | undefined;
  if (request === 'begin') {
    isolationLevel = reader.u8();
    descriptor.writeBigUInt64LE(nextDescriptor++);
    envChangeBytes(EnvChange.beginTransaction, descriptor, Buffer.alloc(0), w);
  } else if (request === 'commit' || request === 'rollback') {
    // ALL_HEADERS: u32 total, u32 header length, u16 type 2, then the current descriptor.
    if (payload.length >= 18) descriptor.writeBigUInt64LE(payload.readBigUInt64LE(10));
    const kind = request === 'commit' ? EnvChange.commitTransaction : EnvChange.rollbackTransaction;
    envChangeBytes(kind, Buffer.alloc(0), descriptor, w);
  }
  return { request, isolationLevel, reply: done(Token.done, DoneStatus.final, 0, w).toBuffer() };
}
