/**
 * mysql2 codes of a refusal retrying cannot fix, and that may lock an account if repeated: a
 * rejected login, a database that does not exist or may not be used, a locked account.
 */
const REFUSAL_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_ACCOUNT_HAS_BEEN_LOCKED',
]);

/** Whether the server refused the session for good (the plugin then throws SourceRefusedError). */
export function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && REFUSAL_CODES.has(code);
}
