import pg from 'pg';
import {
  type CaptureSession,
  type ConnectContext,
  HistoryLostError,
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
  loadTls,
  qualifiedName,
  stallTimeout,
  type TlsMaterial,
} from '../../core/plugin/kit.js';
import { type PostgresCaptureSession, startCapture } from './capture.js';
import { checkPrerequisites } from './checks.js';
import { clientConfig, openClient } from './client/client-factory.js';
import { errorMessage, isRefusal, redact, unavailable } from './client/source-errors.js';
import { type Sql, sqlOver } from './client/sql.js';
import { type PostgresConfig, publicationName, slotName, sourceSchema } from './config.js';
import { describeColumns, describeRelation, discoverTables } from './discover.js';
import { parseOffset } from './offset.js';
import { dropPublication, ensurePublication, publishSchema } from './pgoutput/publication.js';
import type { ReplicationStream } from './pgoutput/replication-stream.js';
import { advanceSlot, dropSlot } from './pgoutput/slot.js';
import { walBytesBehind, walRetentionWarning } from './pgoutput/wal-retention.js';
import { DdlTracker, knownRelations } from './schema/ddl-tracker.js';
import { ddlTriggerInstalled, ensureDdlTrigger } from './schema/ddl-trigger.js';
import { estimateRows } from './snapshot/row-estimates.js';
import { readWal, type WalSource } from './wal.js';

export interface ConnectionTuning {
  /** pgoutput messages buffered before the replication socket is paused. */
  readonly bufferCapacity: number;
}

export const DEFAULT_TUNING: ConnectionTuning = { bufferCapacity: 8192 };

/**
 * Opens a connection: a small pool for catalog queries and acknowledgements; snapshot reads and
 * streams open sessions of their own, all with the TLS settings of `options.tls` (its files are
 * read here). Throws SourceUnavailableError (with the driver's message, never the password; for a
 * TLS failure a `TLS: …` message naming the option) when a TLS file cannot be read, or the server
 * cannot be reached or refuses the session.
 */
export async function connectPostgres(
  config: PostgresConfig,
  context: ConnectContext,
  tuning: ConnectionTuning = DEFAULT_TUNING,
): Promise<PostgresConnection> {
  const where = `PostgreSQL at ${config.host}:${config.port}, database ${config.database}, user ${config.user}`;
  const tls = await loadTls(config.options.tls).catch((error: unknown) => {
    throw new SourceUnavailableError(`cannot connect to ${where}: ${errorMessage(error)}`, { cause: error });
  });
  const pool = new pg.Pool({ ...clientConfig(config, tls), max: 3, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => context.log.warn('idle source session failed', { error: error.message }));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = describeTlsFailure(error, tls.mode) ?? errorMessage(error);
    const Failure = isRefusal(error) ? SourceRefusedError : SourceUnavailableError;
    throw new Failure(`cannot connect to ${where}: ${redact(reason, config.password)}`, { cause: error });
  }
  return new PostgresConnection(config, context, pool, tuning, tls);
}

/**
 * A connection to one PostgreSQL database. The capture is the replication slot `slot` and the
 * publication `publication` (see config.ts for their names); `discover(null)` lists the tables of
 * `config.schema`, or of `public` when it is null.
 */
export class PostgresConnection implements SourceConnection {
  private readonly closed = new AbortController();
  private readonly signal: AbortSignal;
  private readonly sql: Sql;
  private readonly slot: string;
  private readonly publication: string;
  private readonly sessions = new Set<PostgresCaptureSession>();
  private readonly streams = new Set<ReplicationStream>();
  private acknowledged = 0n;

  constructor(
    private readonly config: PostgresConfig,
    private readonly context: ConnectContext,
    private readonly pool: pg.Pool,
    private readonly tuning: ConnectionTuning,
    private readonly tls: TlsMaterial,
  ) {
    this.signal = AbortSignal.any([context.signal, this.closed.signal]);
    this.sql = sqlOver(pool);
    this.slot = slotName(config, context.connectorName);
    this.publication = publicationName(config, context.connectorName);
  }

  /**
   * Never throws: a failure to query the server is reported as a failed `connection` check.
   * `tables` narrows the table checks to the connector's tables; without it they cover the tables
   * of the publication when it exists, else every table of the schema.
   */
  async check(tables?: readonly (SourceTable | TableRef)[]): Promise<PrerequisiteCheck[]> {
    const target = {
      sql: this.sql,
      database: this.config.database,
      user: this.config.user,
      schema: sourceSchema(this.config),
      slot: this.slot,
      publication: this.publication,
      captureDdl: this.config.options.captureDdl,
    };
    const refs = tables?.map((table) => ('ref' in table ? table.ref : table));
    try {
      return await checkPrerequisites(target, refs);
    } catch (error) {
      const detail = `cannot query the server: ${redact(errorMessage(error), this.config.password)}`;
      const hint = `check that ${this.config.host}:${this.config.port} accepts ${this.config.user} (pg_hba.conf, password)`;
      return [{ name: 'connection', ok: false, detail, hint }];
    }
  }

  async discover(selection: TableSelection): Promise<SourceTable[]> {
    return this.guard('cannot list tables', () =>
      discoverTables(this.sql, this.config.database, sourceSchema(this.config), selection),
    );
  }

  /** From `pg_class.reltuples`; see snapshot/row-estimates.ts. */
  async estimateRows(tables: readonly SourceTable[]): Promise<(number | null)[]> {
    return this.guard('cannot read table statistics', () => estimateRows(this.sql, tables));
  }

  async startCapture(tables: readonly SourceTable[]): Promise<CaptureSession> {
    const source = {
      sql: this.sql,
      slot: this.slot,
      publication: this.publication,
      open: (replication: boolean, signal: AbortSignal) => this.open(replication, signal),
      signal: this.signal,
      sessions: this.sessions,
    };
    return this.guard(`cannot start capture with slot ${this.slot}`, async () => {
      if (this.config.options.captureDdl) await ensureDdlTrigger(this.sql);
      return startCapture(source, tables);
    });
  }

  readChanges(from: string, options: ReadChangesOptions): AsyncIterable<SourceEvent> {
    const signal = AbortSignal.any([options.signal, this.signal]);
    return readWal(this.walSource(), from, { ...options, signal });
  }

  /**
   * Sends a standby status update (flush = `offset`) on this connection's open streams; with none
   * open, advances the slot over SQL. Throws HistoryLostError when the slot is gone.
   */
  async ack(offset: string): Promise<void> {
    const lsn = parseOffset(offset);
    if (lsn > this.acknowledged) this.acknowledged = lsn;
    if (this.streams.size > 0) {
      for (const stream of this.streams) stream.acknowledge(lsn);
      return;
    }
    const found = await this.guard(`cannot acknowledge ${offset}`, () =>
      advanceSlot(this.sql, this.slot, lsn, this.signal),
    );
    if (!found)
      throw new HistoryLostError(`replication slot ${this.slot} does not exist; a new snapshot is needed`);
  }

  /** Drops the slot (ending the walsender holding it) and the publication. Idempotent. */
  /**
   * Warns while the slot retains more WAL than `options.walRetentionWarningBytes`, and while DDL
   * capture is asked for but its event triggers are missing (an administrator must create them).
   */
  async health(): Promise<string | null> {
    const wal = await walRetentionWarning(this.sql, this.slot, this.config.options.walRetentionWarningBytes);
    if (wal !== null || !this.config.options.captureDdl || (await ddlTriggerInstalled(this.sql))) return wal;
    // a superuser's next capture creates them (ensureDdlTrigger): only another role must ask for them
    const [role] = await this.sql<{ superuser: boolean }>(
      'SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
    );
    if (role?.superuser) return null;
    return `DDL capture is off: the event triggers tributary_ddl_* are missing in database ${this.config.database}; checkConnector shows the statements a superuser runs (or set options.captureDdl to false)`;
  }

  positionLagBytes(): Promise<number | null> {
    return walBytesBehind(this.sql, this.slot);
  }

  async dropCapture(): Promise<void> {
    await this.guard(`cannot drop slot ${this.slot} and publication ${this.publication}`, async () => {
      await dropSlot(this.sql, this.slot);
      await dropPublication(this.sql, this.publication);
    });
  }

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

  private walSource(): WalSource {
    return {
      sql: this.sql,
      database: this.config.database,
      password: this.config.password,
      stream: {
        client: clientConfig(this.config, this.tls, true),
        slot: this.slot,
        publication: this.publication,
        heartbeatIntervalMs: this.config.options.heartbeatIntervalMs,
        stallTimeoutMs: stallTimeout(this.config.options),
        bufferCapacity: this.tuning.bufferCapacity,
        log: this.context.log,
      },
      describe: (relation) =>
        describeRelation(
          this.sql,
          relation.oid,
          { database: this.config.database, schema: relation.schema, name: relation.name },
          relation.columns,
        ),
      ddl: (options) => this.ddlTracker(options),
      acknowledged: () => this.acknowledged,
      open: this.streams,
    };
  }

  /** DDL capture needs `options.captureDdl` and PostgreSQL 14+ (pgoutput's `messages`). */
  private async ddlTracker(options: ReadChangesOptions): Promise<DdlTracker | null> {
    if (!this.config.options.captureDdl) return null;
    const [server] = await this.sql<{ version: number }>(
      "SELECT current_setting('server_version_num')::int AS version",
    );
    if ((server?.version ?? 0) < 140000) return null;
    if (options.selection === null)
      await publishSchema(this.sql, this.publication, sourceSchema(this.config));
    const settings = {
      database: this.config.database,
      schema: sourceSchema(this.config),
      selection:
        options.selection !== undefined
          ? options.selection
          : options.tables.map((table) => qualifiedName(table.ref)),
      dropTables: this.config.options.dropTables,
      describe: (ref: TableRef, columns: Parameters<typeof describeColumns>[2]) =>
        describeColumns(this.sql, ref, columns),
      publish: (table: SourceTable) => ensurePublication(this.sql, this.publication, [table]),
      log: this.context.log,
    };
    return new DdlTracker(settings, await knownRelations(this.sql, options.tables));
  }

  private open(replication: boolean, signal: AbortSignal): Promise<pg.Client> {
    return openClient(this.config, this.tls, { replication, signal, log: this.context.log });
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
