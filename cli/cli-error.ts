/** Exit codes of the `tributary` command. */
export const EXIT = {
  ok: 0,
  internal: 1,
  /** Bad flags or settings. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
  /** The server refused the request (a GraphQL error with a code other than those below). */
  refused: 4,
  /** `connectors check`: the source or the selection is not ready for a start. */
  checkFailed: 5,
  /** The server answered NOT_FOUND: no connector (or rule) of that name. */
  notFound: 6,
  /** The server answered INVALID_STATE: the connector is not in a state that allows it (e.g. set-offset while running). */
  invalidState: 7,
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
