import type { RpcParameter } from './request-decoder.js';
import type { SqlValue } from './value-encoder.js';

/** A column of a result: its name and SQL type as written in DDL (`binary(10)`, `decimal(38,10)`). */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
  /** For `varchar`/`char`: the 5-byte collation (default Latin1_General_CI_AS, code page 1252). */
  readonly collation?: Buffer;
}

/** One result set a statement returns. */
export interface ResultSet {
  readonly columns: readonly ColumnSpec[];
  /** Rows in column order; an iterable is encoded lazily, so a generator can stream millions. */
  readonly rows: Iterable<readonly SqlValue[]> | AsyncIterable<readonly SqlValue[]>;
  /** ROW or NBCROW tokens; `auto` (default) sends NBCROW for rows holding a NULL. */
  readonly rowToken?: 'auto' | 'row' | 'nbcrow';
  /** Test hook: after this many rows the server flushes and goes silent until ATTENTION or close. */
  readonly stallAfterRows?: number;
}

/** A statement that returns no rows but a count (INSERT/UPDATE/DELETE). */
export interface RowsAffected {
  readonly rowsAffected: number;
}

/** A server error with its number, state and severity, sent as an ERROR token. */
export class FakeTdsError extends Error {
  override readonly name = 'FakeTdsError';
  readonly number: number;
  readonly state: number;
  readonly severity: number;

  constructor(fields: { number: number; message: string; state?: number; severity?: number }) {
    super(fields.message);
    this.number = fields.number;
    this.state = fields.state ?? 1;
    this.severity = fields.severity ?? 16;
  }
}

/** What one statement of a request produced. */
export type StatementOutcome = ResultSet | RowsAffected | FakeTdsError;

/**
 * What a handler answers: one outcome, several in order (multiple result sets, or rows then an
 * error), or an `Error` (sent as error 50000, severity 16, unless it is a `FakeTdsError`).
 */
export type HandlerResult = StatementOutcome | readonly StatementOutcome[] | Error;

/** A request as the handler sees it. */
export interface FakeTdsRequest {
  readonly kind: 'batch' | 'rpc';
  /** The SQL text (for `sp_executesql`, the statement; for other procedures, `EXEC name`). */
  readonly sql: string;
  /** Parameters by name without `@` (for `sp_executesql`, the values after `@statement`/`@params`). */
  readonly params: Readonly<Record<string, SqlValue>>;
  /** The parameters as sent, with their wire types. */
  readonly parameters: readonly RpcParameter[];
  /** The login of the connection. */
  readonly user: string;
  readonly database: string;
  /** The connection's number (1, 2, ...), as in `received`: per-session state for a model. */
  readonly connection: number;
}

/**
 * Answers the requests the fake does not answer itself (tedious' start-up `SET` batch and
 * transaction-manager requests are answered by the fake). Called once per request, in order per
 * connection; may be async.
 */
export type FakeTdsHandler = (
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
  request: FakeTdsRequest,
) => HandlerResult | Promise<HandlerResult>;
