import { HistoryLostError, SourceRefusedError, SourceUnavailableError } from '../errors.js';

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The driver's message with the password blanked out, should a server or driver ever echo it. */
export function redact(message: string, password: string): string {
  return password.length === 0 ? message : message.replaceAll(password, '[password]');
}

/**
 * Wraps a failure to reach or use the source as SourceUnavailableError (`<what>: <message>`, the
 * password blanked out), or as SourceRefusedError when `refused(error)` says the source refused
 * the session for good; keeps HistoryLostError and SourceUnavailableError (and so a refusal) as
 * they are.
 */
export function unavailable(
  what: string,
  error: unknown,
  password: string,
  refused: (error: unknown) => boolean = () => false,
): Error {
  if (error instanceof HistoryLostError || error instanceof SourceUnavailableError) return error;
  const Failure = refused(error) ? SourceRefusedError : SourceUnavailableError;
  return new Failure(`${what}: ${redact(errorMessage(error), password)}`, { cause: error });
}
