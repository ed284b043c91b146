import { Connection, Request } from 'tedious';
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
  type TableSelection,
} from '../../core/plugin/index.js';
import {
  DEFAULT_STALL_TIMEOUT_MS,
  describeTlsFailure,
  errorMessage,
  loadTls,
  redact,
  type TlsMaterial,
  unavailable,
} from '../../core/plugin/kit.js';
import { type Session, type SqlServerCaptureSession, startCapture } from './capture.js';
import { readCdcChanges } from './cdc.js';
import { checkPrerequisites } from './checks.js';
import type { SqlServerConfig } from './config.js';
import { discoverTables } from './discover.js';
import { loginRefusal } from './login-refusal.js';
import { parseLsn } from './offset.js';
import { SERVER_INFO } from './statements.js';
import { tediousConfiguration } from './tedious-options.js';
import { queryRunner } from './tedious-query.js';

/**
 * Opens one tedious session. A refused login (18456, or 4060 for an unknown database) is a
 * SourceRefusedError, which the job does not retry in a loop; a TLS failure is described naming
 * the option.
 */
async function openSession(
  config: SqlServerConfig,
  tls: TlsMaterial,
  stallTimeoutMs: number,
): Promise<Session> {
  const where = `SQL Server at ${config.host}:${config.port}, database ${config.database}, user ${config.user}`;
  const connection = new Connection(tediousConfiguration(config, tls, stallTimeoutMs));
  const numbers: number[] = [];
  connection.on('errorMessage', (token) => numbers.push(token.number));
  // A session that fails later reports through its requests; the event must have a listener.
  connection.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      connection.connect((error) => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    connection.close();
    const message = redact(errorMessage(error), config.password);
    const refused = loginRefusal(numbers, message);
    if (refused)
      throw new SourceRefusedError(`cannot connect to ${where}: ${refused.message}`, { cause: refused });
    const described = describeTlsFailure(error, tls.mode) ?? tlsRequired(message, tls);
    throw new SourceUnavailableError(`cannot connect to ${where}: ${described ?? message}`, { cause: error });
  }
  return {
    runner: queryRunner(connection, Request, stallTimeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        if (connection.closed) return resolve();
        connection.once('end', () => resolve());
        connection.close();
      }),
  };
}

function tlsRequired(message: string, tls: TlsMaterial): string | null {
  if (tls.mode === 'disable' && /requires encryption/i.test(message))
    return `TLS: the server accepts only encrypted connections: ${message} (options.tls.mode disable; set options.tls.mode to verify-full or require)`;
  return null;
}

/** Opens a connection (one catalog session; snapshots open sessions of their own). */
export async function connectSqlServer(
  config: SqlServerConfig,
  context: ConnectContext,
): Promise<SqlServerConnection> {
  const tls = await loadTls(config.options.tls).catch((error: unknown) => {
    throw new SourceUnavailableError(`cannot connect to SQL Server: ${errorMessage(error)}`, {
      cause: error,
    });
  });
  const stallTimeoutMs = config.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const open = () => openSession(config, tls, stallTimeoutMs);
  const main = await open();
  try {
    await main.runner.query(SERVER_INFO);
  } catch (error) {
    await main.close();
    throw unavailable('SQL Server', error, config.password);
  }
  return new SqlServerConnection(config, context, main, open);
}

/** A live SQL Server connection: see the plugin README for the capture design. */
export class SqlServerConnection implements SourceConnection {
  private readonly captures = new Set<SqlServerCaptureSession>();
  private closed = false;

  constructor(
    private readonly config: SqlServerConfig,
    private readonly context: ConnectContext,
    private readonly main: Session,
    private readonly open: () => Promise<Session>,
  ) {}

  async check(tables?: readonly SourceTable[]): Promise<PrerequisiteCheck[]> {
    try {
      return await checkPrerequisites(this.main.runner, this.config.database, this.config.user, tables);
    } catch (error) {
      return [{ name: 'connection', ok: false, detail: redact(errorMessage(error), this.config.password) }];
    }
  }

  async discover(selection: TableSelection): Promise<SourceTable[]> {
    return this.guard('discovering tables', () =>
      discoverTables(this.main.runner, this.config.database, this.config.schema, selection),
    );
  }

  async startCapture(tables: readonly SourceTable[]): Promise<CaptureSession> {
    return this.guard('pinning a snapshot', () =>
      startCapture(this.open, tables, this.config.options.lockTimeoutMs, this.captures),
    );
  }

  async *readChanges(from: string, options: ReadChangesOptions): AsyncIterable<SourceEvent> {
    parseLsn(from);
    const settings = {
      runner: this.main.runner,
      database: this.config.database,
      pollIntervalMs: this.config.options.pollIntervalMs,
      pageSize: this.config.options.pageSize,
    };
    try {
      yield* readCdcChanges(settings, from, options);
    } catch (error) {
      if (options.signal.aborted) return;
      throw unavailable('reading the CDC change tables', error, this.config.password);
    }
  }

  /** The cleanup job deletes changes by retention: there is nothing to release. */
  async ack(offset: string): Promise<void> {
    parseLsn(offset);
  }

  /** Nothing is created at the source: CDC is enabled by the DBA. */
  async dropCapture(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const capture of [...this.captures]) await capture[Symbol.asyncDispose]();
    await this.main.close();
    this.context.log.debug('SQL Server connection closed');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async guard<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw unavailable(what, error, this.config.password);
    }
  }
}
