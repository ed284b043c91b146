import pg from 'pg';

/** How long opening a target session (or waiting for a free one in the pool) may take. */
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The target PostgreSQL: a connection pool plus a transaction helper. Holds the `tributary`
 * metadata schema and the replicated tables, so data and offsets commit together.
 */
export class TargetDatabase implements AsyncDisposable {
  readonly pool: pg.Pool;

  constructor(
    readonly url: string,
    poolSize = 10,
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      application_name: 'tributary',
      // a target that accepts the connection but never answers fails the attempt, a transient error
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // a target host that vanished (no RST ever comes) is found by TCP keepalive, not never
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    this.pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    this.pool.on('connect', (client) => {
      // A checked-out client whose connection dies between queries would otherwise throw an
      // uncaught 'error' and end the process; its next query fails instead, at the job's boundary.
      client.on('error', () => undefined);
    });
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
    return this.pool.query<R>(text, values);
  }

  /** Runs `work` in one transaction; rolls back and rethrows on any error. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Runs read-only `work` in one REPEATABLE READ transaction: every query sees the database as of
   * the same moment, whatever commits meanwhile.
   */
  async snapshot<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return await work(client);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
