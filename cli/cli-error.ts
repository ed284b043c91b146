/** Exit codes of the `tributary` command. */
export const EXIT = {
  ok: 0,
  internal: 1,
  /** Bad flags or settings. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
  /** The server refused the request (a GraphQL error with a code). */
  refused: 4,
  /** `connectors check`: the source or the selection is not ready for a start. */
  checkFailed: 5,
} as const;

/** An expected failure of a CLI command: printed as `error: <message>`, then exit with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
