/** Argument names whose values are secrets wherever they appear (`password`, `sslKey`, `apiToken`). */
const SECRET_NAME = /pass(word|phrase)|secret|token|private|credential|^(ssl|api|access|encryption)?key$/i;

/** The value stored in place of a secret. */
export const REDACTED = '***';

/**
 * A mutation's arguments fit for the audit trail: every value under a secret-looking name
 * replaced by `***`, at any depth (a connector's `input.password`, `input.options.sslKey`).
 */
export function redactArguments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactArguments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [
      name,
      SECRET_NAME.test(name) && inner !== null && inner !== undefined ? REDACTED : redactArguments(inner),
    ]),
  );
}
