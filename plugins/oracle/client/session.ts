/** One row as a query returns it: upper-case column names (Oracle's), NUMBERs and dates as strings. */
export type OracleRow = Readonly<Record<string, unknown>>;

/** Bind values by name (`:scn` → `{ scn: '3118146' }`) or by position. */
export type OracleBinds = Readonly<Record<string, unknown>> | readonly unknown[];

/**
 * The seam between the Oracle plugin and a database session: the plugin speaks SQL through it and
 * never imports `oracledb`. `client/oracledb-session.ts` implements it over the thin driver; the test
 * model (`test/support/logminer-model`) implements it by recognising the plugin's statements.
 *
 * Values come back normalised as the snapshot and the stream both need them: NUMBER, DATE,
 * TIMESTAMP* and INTERVAL* as their text (session NLS formats, see `SESSION_SETUP`), CHAR/CLOB
 * as strings, RAW/BLOB as Buffer, BINARY_FLOAT/DOUBLE as numbers, SQL NULL as null.
 *
 * Not concurrent: one statement at a time per session. `close` is idempotent.
 */
export interface OracleSession {
  /** Runs one statement; a query's rows are read whole (use only where the result is small). */
  execute(sql: string, binds?: OracleBinds): Promise<OracleRow[]>;
  /**
   * A query's rows pulled in batches of at most `batchSize`: the next batch is fetched only when
   * the consumer asks for it (back-pressure). Breaking out of the loop closes the cursor.
   */
  query(sql: string, binds: OracleBinds, batchSize: number): AsyncIterable<readonly OracleRow[]>;
  close(): Promise<void>;
}

/** Where a session connects: the service, and the PDB it switches to (`ALTER SESSION SET CONTAINER`). */
export interface OracleEndpoint {
  readonly host: string;
  readonly port: number;
  readonly service: string;
  readonly user: string;
  readonly password: string;
  readonly connectTimeoutMs: number;
  /** TCPS with the server certificate checked; `matchHostName` also checks its name. */
  readonly tls: { readonly ca?: string; readonly matchHostName: boolean } | null;
}

/** Opens a session; throws the driver's error (the caller classifies it). */
export type OracleSessionFactory = (endpoint: OracleEndpoint) => Promise<OracleSession>;
