import { HistoryLostError, SourceRefusedError, SourceUnavailableError } from '../../../core/plugin/index.js';
import { errorMessage, redact } from '../../../core/plugin/kit.js';

export { errorMessage, redact, unavailable } from '../../../core/plugin/kit.js';

/** SQLSTATE of a driver error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * SQLSTATEs of a refusal retrying cannot fix, and that may lock an account if repeated: a rejected
 * login (class 28: wrong password, no such role, pg_hba.conf) or a database that does not exist.
 */
const REFUSAL_STATES = new Set(['28000', '28P01', '3D000']);

/** Whether the server refused the session for good (the engine then throws SourceRefusedError). */
export function isRefusal(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && REFUSAL_STATES.has(state);
}

/**
 * The error a failed replication stream surfaces: HistoryLostError when the slot or the WAL it
 * needs is gone, SourceUnavailableError for everything else (the engine retries those).
 */
export function streamFailure(error: unknown, slot: string, password: string): Error {
  if (error instanceof HistoryLostError || error instanceof SourceUnavailableError) return error;
  const message = redact(errorMessage(error), password);
  const state = sqlState(error);
  const lost =
    state === '42704' ||
    /requested WAL segment .* has already been removed|can no longer (get changes|access replication slot)|invalidated/i.test(
      message,
    );
  if (lost) {
    return new HistoryLostError(
      `replication slot ${slot} can no longer deliver the changes needed (${message}); a new snapshot is needed`,
      { cause: error },
    );
  }
  const Failure = isRefusal(error) ? SourceRefusedError : SourceUnavailableError;
  return new Failure(`replication stream from slot ${slot} failed: ${message}`, { cause: error });
}
