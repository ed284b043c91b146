import type { PoolConnection as CallbackConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import {
  type CaptureSession,
  type ConnectContext,
  type PrerequisiteCheck,
  type ReadChangesOptions,
  type SourceConnection,
  type SourceEvent,
  SourceRefusedError,
  type SourceTable,
  SourceUnavailableError,
  type TableRef,
  type TableSelection,
} from '../../core/plugin/index.js';
import {
  describeTlsFailure,
  errorMessage,
  loadTls,
  redact,
  stallTimeout,
  type TlsMaterial,
  unavailable,
} from '../../core/plugin/kit.js';
import { type BinlogSource, type BinlogStream, readBinlog } from './binlog.js';
import { type MysqlCaptureSession, startCapture } from './capture.js';
import { checkPrerequisites } from './checks.js';
import { clientOptions } from './client/client-options.js';
import { explainRefusedLogin } from './client/login-refusal.js';
import { binlogAvailable, parseServerVersion, type ServerFlavor } from './client/server-flavor.js';
import { isRefusal } from './client/source-errors.js';
import { type Sql, sqlOver } from './client/sql.js';
import { SNAPSHOT_SESSION_STATEMENTS } from './client/value-codec.js';
import { type MysqlConfig, replicaServerId } from './config.js';
import { discoverTables } from './discover.js';
import { parseOffset } from './offset.js';
import { estimateRows } from './snapshot/row-estimates.js';

export interface ConnectionTuning {
  /** Binlog events buffered before the dump socket is paused. */
  readonly bufferCapacity: number;
}

export const DEFAULT_TUNING: ConnectionTuning = { bufferCapacity: 8192 };

/**
 * Opens a connection: a small pool for catalog queries; snapshots and the binlog stream open
 * sessions of their own, all with the TLS settings of `options.tls` (its files are read here).
 * Throws SourceUnavailableError (with the driver's message, never the password; for a TLS failure
 * a `TLS: …` message naming the option) when a TLS file cannot be read, or the server cannot be
 * reached or refuses the login.
 */
export async function connectMysql(
  config: MysqlConfig,
  context: ConnectContext,
  tuning: ConnectionTuning = DEFAULT_TUNING,
): Promise<MysqlConnection> {
  const where = `MySQL at ${config.host}:${config.port}, database ${config.database}, user ${config.user}`;
  const tls = await loadTls(config.options.tls).catch((error: unknown) => {
    throw new SourceUnavailableError(`cannot connect to ${where}: ${errorMessage(error)}`, { cause: error });
  });
  const pool = mysql.createPool({ ...clientOptions(config, tls), connectionLimit: 3, idleTimeout: 30_000 });
  pool.on('connection', (promiseTyped) => {
    // mysql2/promise passes the pool's own callback-style connection, whatever its typings say.
    // Without a callback or listener, a failed statement or a lost session is an uncaught 'error'.
    const session = promiseTyped as unknown as CallbackConnection;
    session.on('error', (error) => context.log.warn('source session failed', { error: error.message }));
    for (const statement of SNAPSHOT_SESSION_STATEMENTS) {
      session.query(statement, (error) => {
        if (error) context.log.warn('setting up a source session failed', { error: error.message });
      });
    }
  });
  try {
    const [rows] = await pool.query('SELECT VERSION() AS version');
    const version = String((rows as { version: string }[])[0]?.version ?? '');
    return new MysqlConnection(config, context, pool, parseServerVersion(version), tuning, tls);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const tlsFailure = describeTlsFailure(error, tls.mode);
    const message = redact(tlsFailure ?? errorMessage(error), config.password);
    const hint = tlsFailure === null ? await explainRefusedLogin(message, config, tls) : undefined;
    const Failure = isRefusal(error) ? SourceRefusedError : SourceUnavailableError;
    throw new Failure(`cannot connect to ${where}: ${message}${hint ? ` (${hint})` : ''}`, { cause: error });
  }
}

/**
 * A connection to one MySQL or MariaDB database. The capture is the server's binary log itself:
 * nothing is created at the source, and `ack` has nothing to release (the server keeps binary logs
 * for `binlog_expire_logs_seconds`; a stopped connector that falls behind it needs a new snapshot).
 */
export class MysqlConnection implements SourceConnection {
  private readonly closed = new AbortController();
  private readonly sql: Sql;
  private readonly sessions = new Set<MysqlCaptureSession>();
  private readonly streams = new Set<BinlogStream>();

  constructor(
    private readonly config: MysqlConfig,
    private readonly context: ConnectContext,
    private readonly pool: mysql.Pool,
    readonly flavor: ServerFlavor,
    private readonly tuning: ConnectionTuning,
    private readonly tls: TlsMaterial,
  ) {
    this.sql = sqlOver(pool);
  }

  /** Never throws: a failure to query the server is reported as a failed `connection` check. */
  async check(tables?: readonly (SourceTable | TableRef)[]): Promise<PrerequisiteCheck[]> {
    const refs = tables?.map((table) => ('ref' in table ? table.ref : table));
    const target = {
      sql: this.sql,
      flavor: this.flavor,
      database: this.config.database,
      user: this.config.user,
    };
    try {
      return await checkPrerequisites(target, refs);
    } catch (error) {
      const detail = `cannot query the server: ${redact(errorMessage(error), this.config.password)}`;
      const hint = `check that ${this.config.host}:${this.config.port} accepts ${this.config.user}`;
      return [{ name: 'connection', ok: false, detail, hint }];
    }
  }

  async discover(selection: TableSelection): Promise<SourceTable[]> {
    return this.guard('cannot list tables', () => discoverTables(this.sql, this.config.database, selection));
  }

  /** From `information_schema.TABLES.TABLE_ROWS`; see snapshot/row-estimates.ts. */
  async estimateRows(tables: readonly SourceTable[]): Promise<(number | null)[]> {
    return this.guard('cannot read table statistics', () => estimateRows(this.sql, tables));
  }

  async startCapture(_tables: readonly SourceTable[]): Promise<CaptureSession> {
    const source = {
      flavor: this.flavor,
      open: () => this.openSession(),
      sessions: this.sessions,
    };
    return this.guard('cannot pin a consistent snapshot', () => startCapture(source));
  }

  readChanges(from: string, options: ReadChangesOptions): AsyncIterable<SourceEvent> {
    parseOffset(from);
    const signal = AbortSignal.any([options.signal, this.closed.signal]);
    return readBinlog(this.binlogSource(), from, { ...options, signal });
  }

  /** Nothing to release at the source: the server purges binary logs on its own schedule. */
  async ack(offset: string): Promise<void> {
    parseOffset(offset);
  }

  /** Nothing was created at the source. */
  async dropCapture(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed.signal.aborted) return;
    this.closed.abort();
    const sessions = [...this.sessions].map((session) => session[Symbol.asyncDispose]());
    const streams = [...this.streams].map((stream) => stream.close());
    await Promise.allSettled([...sessions, ...streams]);
    await this.pool.end().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private binlogSource(): BinlogSource {
    return {
      connection: clientOptions(this.config, this.tls),
      tlsMode: this.tls.mode,
      database: this.config.database,
      serverId: replicaServerId(this.config, this.context.connectorName),
      heartbeatIntervalMs: this.config.options.heartbeatIntervalMs,
      stallTimeoutMs: stallTimeout(this.config.options),
      bufferCapacity: this.tuning.bufferCapacity,
      log: this.context.log,
      discover: () => this.discover(null),
      binlogAvailable: (position) =>
        this.guard('cannot list binary logs', () => binlogAvailable(this.sql, this.flavor, position)),
      open: this.streams,
    };
  }

  private async openSession(): Promise<mysql.Connection> {
    const session = await mysql.createConnection(clientOptions(this.config, this.tls)).catch((error) => {
      const tlsFailure = describeTlsFailure(error, this.tls.mode);
      throw tlsFailure === null ? error : new Error(tlsFailure, { cause: error });
    });
    for (const statement of SNAPSHOT_SESSION_STATEMENTS) await session.query(statement);
    return session;
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.closed.signal.aborted) throw new SourceUnavailableError(`${what}: the connection is closed`);
    try {
      return await run();
    } catch (error) {
      throw unavailable(what, error, this.config.password, isRefusal);
    }
  }
}
