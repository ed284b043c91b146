import { HistoryLostError, SourceRefusedError, SourceUnavailableError } from '../../../core/plugin/index.js';
import { errorMessage, redact } from '../../../core/plugin/kit.js';

/** `ORA-01017` → 1017, `NJS-116` → 'NJS-116'; the driver's `errorNum`/`code`, else the message. */
export function oracleCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(ORA|NJS)-\d+$/.test(code)) return code;
  const match = /\b(ORA|NJS)-(\d{5}|\d{3})\b/.exec(errorMessage(error));
  return match === null ? null : `${match[1]}-${match[2]}`;
}

/**
 * Logins refused in a way retrying cannot fix and may make worse (a lockout): wrong user or
 * password, a locked account, no CREATE SESSION.
 */
const REFUSALS = new Set(['ORA-01017', 'ORA-28000', 'ORA-01045', 'ORA-01005']);

/**
 * A failed connect as SourceUnavailableError with the driver's message (password blanked), plus
 * what to do for the failures users meet: NJS-116 (a password verifier the thin driver cannot
 * use). A refused login (wrong credentials, locked account) is a SourceRefusedError: the engine
 * never retries it in a loop.
 */
export function connectFailure(where: string, error: unknown, password: string): SourceUnavailableError {
  const code = oracleCode(error);
  const message = redact(errorMessage(error), password);
  let hint = '';
  if (code === 'NJS-116')
    hint =
      ' (the thin driver cannot use this account’s 10G password verifier: set SQLNET.ALLOWED_LOGON_VERSION_SERVER to 12 or higher in sqlnet.ora and reset the password, or use an account created with a 12c verifier)';
  const Failure = REFUSALS.has(code ?? '') ? SourceRefusedError : SourceUnavailableError;
  return new Failure(`cannot connect to ${where}: ${message}${hint}`, { cause: error });
}

/** Mining errors meaning the history from the resume SCN is gone. */
const HISTORY_LOST = new Set(['ORA-01291', 'ORA-01292', 'ORA-01284']);

/** A mining failure: lost history as HistoryLostError, anything else unchanged. */
export function miningFailure(error: unknown): unknown {
  if (!HISTORY_LOST.has(oracleCode(error) ?? '')) return error;
  return new HistoryLostError(
    `the redo logs needed to resume are gone (${errorMessage(error)}): a new snapshot is needed`,
    { cause: error },
  );
}

/** A snapshot read failure made specific: undo too old, or the table changed after the flashback SCN. */
export function snapshotFailure(table: string, scn: string, error: unknown): unknown {
  const code = oracleCode(error);
  if (code === 'ORA-01555')
    return new Error(
      `reading ${table} as of SCN ${scn} failed: the undo for that SCN is gone (ORA-01555 snapshot too old); raise UNDO_RETENTION or snapshot with smaller tables, then start again`,
      { cause: error },
    );
  if (code === 'ORA-01466')
    return new Error(
      `reading ${table} as of SCN ${scn} failed: the table's definition changed after that SCN (ORA-01466); start again`,
      { cause: error },
    );
  return error;
}
