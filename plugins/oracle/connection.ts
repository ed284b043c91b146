import {
  type CaptureSession,
  type ConnectContext,
  type PrerequisiteCheck,
  type ReadChangesOptions,
  type SourceConnection,
  type SourceEvent,
  type SourceTable,
  SourceUnavailableError,
  type TableSelection,
} from '../../core/plugin/index.js';
import { errorMessage, loadTls, prerequisiteCheck, unavailable } from '../../core/plugin/kit.js';
import { startCapture } from './capture.js';
import { checkPrerequisites } from './checks.js';
import type { OracleEndpoint, OracleSession, OracleSessionFactory } from './client/session.js';
import { connectFailure } from './client/source-errors.js';
import {
  createFlushTable,
  dropFlushTable,
  flushRedo,
  flushTableName,
  SESSION_SETUP,
  seedFlushTable,
  setContainer,
} from './client/sql.js';
import { type OracleConfig, ownerSchema } from './config.js';
import { discoverTables } from './discover.js';
import { mineChanges } from './logminer.js';

/**
 * Opens a connection: one catalog session (NLS set up, in the PDB when `options.pdb` is given);
 * snapshots and the mining loop open sessions of their own. Throws SourceUnavailableError (a
 * refused login marked as a refusal, see `connectFailure`).
 */
export async function connectOracle(
  config: OracleConfig,
  context: ConnectContext,
  open: OracleSessionFactory,
): Promise<OracleConnection> {
  const where = `Oracle at ${config.host}:${config.port}/${config.database}, user ${config.user}`;
  const tls = await loadTls(config.options.tls).catch((error: unknown) => {
    throw new SourceUnavailableError(`cannot connect to ${where}: ${errorMessage(error)}`, { cause: error });
  });
  const endpoint: OracleEndpoint = {
    host: config.host,
    port: config.port,
    service: config.database,
    user: config.user,
    password: config.password,
    connectTimeoutMs: config.options.connectTimeoutMs,
    tls:
      tls.mode === 'disable'
        ? null
        : { ...(tls.ca === undefined ? {} : { ca: tls.ca }), matchHostName: tls.mode === 'verify-full' },
  };
  const connection = new OracleConnection(config, context, endpoint, open);
  await connection.catalog();
  return connection;
}

export class OracleConnection implements SourceConnection {
  private catalogSession: OracleSession | null = null;
  private readonly owner: string;
  private readonly flushTable: string;
  private closed = false;

  constructor(
    private readonly config: OracleConfig,
    private readonly context: ConnectContext,
    private readonly endpoint: OracleEndpoint,
    private readonly open: OracleSessionFactory,
  ) {
    this.owner = ownerSchema(config);
    this.flushTable = flushTableName(context.connectorName);
  }

  /** The catalog session, opened on first use. */
  async catalog(): Promise<OracleSession> {
    this.catalogSession ??= await this.session(true);
    return this.catalogSession;
  }

  async check(tables?: readonly SourceTable[]): Promise<PrerequisiteCheck[]> {
    try {
      return await checkPrerequisites(
        await this.catalog(),
        this.config.user,
        tables,
        this.config.options.pdb,
      );
    } catch (error) {
      return [prerequisiteCheck('connection', false, errorMessage(error))];
    }
  }

  async discover(selection: TableSelection): Promise<SourceTable[]> {
    return discoverTables(await this.catalog(), this.config.database, this.owner, selection);
  }

  async startCapture(tables: readonly SourceTable[]): Promise<CaptureSession> {
    void tables;
    try {
      await this.ensureFlushTable();
      return await startCapture(await this.catalog(), () => this.session(true));
    } catch (error) {
      throw unavailable('starting the Oracle capture', error, this.config.password);
    }
  }

  async *readChanges(from: string, options: ReadChangesOptions): AsyncIterable<SourceEvent> {
    const miner = await this.session(false);
    try {
      yield* mineChanges(from, options, {
        session: miner,
        owner: this.owner,
        describe: async (names) => this.discover(names.map((name) => `${this.owner}.${name}`)),
        flush: async (scn) => {
          await miner.execute(flushRedo(this.config.user.toUpperCase(), this.flushTable), { scn });
        },
        pollIntervalMs: this.config.options.pollIntervalMs,
        maxWindowScns: this.config.options.maxWindowScns,
      });
    } finally {
      await miner.close().catch(() => undefined);
    }
  }

  /** Archived logs are the history; nothing to release. */
  async ack(): Promise<void> {}

  async dropCapture(): Promise<void> {
    try {
      await (await this.rootSession()).execute(
        dropFlushTable(this.config.user.toUpperCase(), this.flushTable),
      );
    } catch (error) {
      if (!/ORA-00942/.test(errorMessage(error)))
        throw unavailable('dropping the flush table', error, this.config.password);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.catalogSession?.close().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The flush table in the user's own schema (root for a common user), made once. */
  private async ensureFlushTable(): Promise<void> {
    const session = await this.rootSession();
    const user = this.config.user.toUpperCase();
    try {
      await session.execute(createFlushTable(user, this.flushTable));
    } catch (error) {
      if (!/ORA-00955/.test(errorMessage(error))) throw error;
    }
    await session.execute(seedFlushTable(user, this.flushTable));
  }

  private async rootSession(): Promise<OracleSession> {
    return this.config.options.pdb === undefined ? this.catalog() : this.session(false);
  }

  /** A session with the NLS settings, moved into the PDB when `inPdb` and `options.pdb` is set. */
  private async session(inPdb: boolean): Promise<OracleSession> {
    const where = `Oracle at ${this.endpoint.host}:${this.endpoint.port}/${this.endpoint.service}, user ${this.endpoint.user}`;
    let session: OracleSession;
    try {
      session = await this.open(this.endpoint);
    } catch (error) {
      throw connectFailure(where, error, this.endpoint.password);
    }
    try {
      for (const statement of SESSION_SETUP) await session.execute(statement);
      if (inPdb && this.config.options.pdb !== undefined)
        await session.execute(setContainer(this.config.options.pdb));
    } catch (error) {
      await session.close().catch(() => undefined);
      throw unavailable(`setting up a session on ${where}`, error, this.endpoint.password);
    }
    this.context.log.debug('oracle session opened', {
      pdb: inPdb ? (this.config.options.pdb ?? null) : null,
    });
    return session;
  }
}
