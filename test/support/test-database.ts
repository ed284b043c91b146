import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase extends AsyncDisposable {
  readonly url: string;
  readonly name: string;
  /** A client on this database for assertions; closed by dispose. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** Creates a fresh database in a test cluster; disposing drops it (terminating leftover sessions). */
export async function createTestDatabase(clusterUrl: string, prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // an idle session ended by the server (a test terminating backends) is no test failure
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    name,
    query: (text, values) => pool.query(text, values),
    async [Symbol.asyncDispose]() {
      await pool.end();
      const client = new pg.Client({ connectionString: clusterUrl });
      await client.connect();
      // Logical slots of a database block dropping it; end their sessions and drop them first.
      await client.query(
        `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`,
        [name],
      );
      await client.query(
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`,
        [name],
      );
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
