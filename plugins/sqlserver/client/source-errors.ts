/** SQL Server error numbers that refuse a login: retrying cannot fix them and may lock the account. */
const REFUSALS: Readonly<Record<number, { code: string; advice: string }>> = {
  18456: {
    code: '28000',
    advice: 'check user and password, and that the login may connect (SQL Server authentication enabled)',
  },
  4060: { code: '3D000', advice: 'check that the database exists and that the login has a user in it' },
};

/**
 * A refused login, carrying the SQLSTATE-like code (`28000` for 18456, `3D000` for 4060) that the
 * core's transient-error classification treats as a refusal (never retried in a loop). tedious
 * keeps only the last message on its `ELOGIN` error; the numbers come from its `errorMessage`
 * events.
 */
export class LoginRefusedError extends Error {
  override readonly name = 'LoginRefusedError';

  constructor(
    message: string,
    readonly number: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The refusal among the server's error numbers (4060 before 18456: the database is the cause). */
export function loginRefusal(numbers: readonly number[], message: string): LoginRefusedError | undefined {
  const number = numbers.includes(4060) ? 4060 : numbers.includes(18456) ? 18456 : undefined;
  if (number === undefined) return undefined;
  const refusal = REFUSALS[number];
  if (!refusal) return undefined;
  return new LoginRefusedError(`${message} (error ${number}; ${refusal.advice})`, number, refusal.code);
}
