import { ByteWriter } from './byte-writer.js';
import { type ColumnType, parseColumnType, writeTypeInfo } from './column-type.js';
import type { MessageWriter } from './message-writer.js';
import { FakeTdsError, type HandlerResult, type ResultSet, type StatementOutcome } from './result-set.js';
import { DoneStatus, done, returnStatus, serverMessage, Token } from './tokens.js';
import { type SqlValue, writeValue } from './value-encoder.js';

/** Normalises a handler's answer to a list of statement outcomes. */
export function outcomesOf(result: HandlerResult): readonly StatementOutcome[] {
  if (Array.isArray(result)) return result;
  if (result instanceof FakeTdsError) return [result];
  if (result instanceof Error) return [new FakeTdsError({ number: 50000, message: result.message })];
  return [result as StatementOutcome];
}

/**
 * Encodes a request's outcomes as one reply message: per result set COLMETADATA, ROW/NBCROW tokens
 * and DONE (DONEINPROC for an RPC) with the row count; per error an ERROR token and a DONE with the
 * error bit; for an RPC then RETURNSTATUS and DONEPROC. If ATTENTION arrives (`signal`), the rows
 * stop and the message ends with a DONE; returns whether that happened.
 */
export async function writeOutcomes(
  outcomes: readonly StatementOutcome[],
  rpc: boolean,
  out: MessageWriter,
  signal: AbortSignal,
): Promise<boolean> {
  const statementDone = rpc ? Token.doneInProc : Token.done;
  let failed = false;
  // tedious reads the attention acknowledgement from the message after the interrupted one, so the
  // interrupted reply just ends here (with a DONE) and the caller sends DONE(attention) on its own.
  const acknowledgeAttention = async () => {
    await out.append(done(Token.done, DoneStatus.final).toBuffer());
    return true;
  };
  for (const [index, outcome] of outcomes.entries()) {
    if (signal.aborted) return acknowledgeAttention();
    const more = rpc || index < outcomes.length - 1 ? DoneStatus.more : 0;
    if (outcome instanceof FakeTdsError) {
      failed = true;
      const error = { number: outcome.number, state: outcome.state, severity: outcome.severity };
      await out.append(serverMessage({ ...error, message: outcome.message }).toBuffer());
      await out.append(done(statementDone, more | DoneStatus.error).toBuffer());
    } else if ('rowsAffected' in outcome) {
      await out.append(done(statementDone, more | DoneStatus.count, outcome.rowsAffected).toBuffer());
    } else {
      const count = await writeResultSet(outcome, out, signal);
      if (count === undefined) return acknowledgeAttention();
      await out.append(done(statementDone, more | DoneStatus.count, count).toBuffer());
    }
  }
  if (signal.aborted) return acknowledgeAttention();
  if (outcomes.length === 0 && !rpc) await out.append(done(Token.done, 0).toBuffer());
  if (rpc) {
    await out.append(returnStatus(failed ? -6 : 0).toBuffer());
    await out.append(done(Token.doneProc, failed ? DoneStatus.error : 0).toBuffer());
  }
  return false;
}

/** Writes one result set; the row count, or undefined when ATTENTION interrupted it. */
async function writeResultSet(
  set: ResultSet,
  out: MessageWriter,
  signal: AbortSignal,
): Promise<number | undefined> {
  const types = set.columns.map((column) => parseColumnType(column.type, column.collation));
  const meta = new ByteWriter().u8(Token.colMetadata).u16(set.columns.length);
  set.columns.forEach((column, i) => {
    meta.u32(0).u16(0x0001); // user type 0; flags: nullable
    writeTypeInfo(types[i] as ColumnType, meta);
    meta.bVarchar(column.name);
  });
  await out.append(meta.toBuffer());
  let count = 0;
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const rows =
    Symbol.asyncIterator in set.rows ? set.rows[Symbol.asyncIterator]() : set.rows[Symbol.iterator]();
  try {
    while (!signal.aborted) {
      if (set.stallAfterRows !== undefined && count >= set.stallAfterRows) {
        await out.flush();
        await aborted;
        break;
      }
      const next = await Promise.race([rows.next(), aborted]);
      if (next === 'aborted' || next.done) break;
      await out.append(encodeRow(types, next.value, set.rowToken ?? 'auto'));
      count += 1;
    }
  } finally {
    await rows.return?.();
  }
  return signal.aborted ? undefined : count;
}

function encodeRow(
  types: readonly ColumnType[],
  values: readonly SqlValue[],
  mode: 'auto' | 'row' | 'nbcrow',
): Buffer {
  const w = new ByteWriter();
  const hasNull = values.some((value) => value === null || value === undefined);
  if (mode === 'row' || (mode === 'auto' && !hasNull)) {
    w.u8(Token.row);
    for (const [i, type] of types.entries()) writeValue(type, values[i], w);
    return w.toBuffer();
  }
  const bitmap = Buffer.alloc(Math.ceil(types.length / 8));
  values.forEach((value, i) => {
    if (value === null || value === undefined) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
  });
  w.u8(Token.nbcRow).bytes(bitmap);
  types.forEach((type, i) => {
    const value = values[i];
    if (value !== null && value !== undefined) writeValue(type, value, w);
  });
  return w.toBuffer();
}
