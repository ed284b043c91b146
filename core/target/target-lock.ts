import pg from 'pg';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The advisory lock key of a target database's `tributary` metadata schema ('tributar' in ASCII). */
const LOCK_KEY = '8390880602192683378';
/** A server killed a moment ago may still hold the lock until its session is seen to end. */
const WAIT_FOR_A_KILLED_HOLDER_MS = 3_000;

/** The target database held by this server until `release()`. */
export interface TargetLock {
  release(): Promise<void>;
}

/**
 * Makes this server the only one running the connectors of the target database at `url`: a
 * session-level advisory lock, held on a session of its own for the server's life (so it ends with
 * the process, however that ends). When another server holds it, throws a ConfigError naming that
 * server's session. The session's `application_name` is the server's (see `serverConnections`).
 */
export async function lockTarget(url: string, logger: Logger): Promise<TargetLock> {
  const client = new pg.Client({ connectionString: url, application_name: 'tributary', keepAlive: true });
  client.on('error', (error) =>
    logger.error(
      { err: error },
      'the session holding the target database lock failed; another server could start on it',
    ),
  );
  await client.connect();
  try {
    const deadline = Date.now() + WAIT_FOR_A_KILLED_HOLDER_MS;
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
        LOCK_KEY,
      ]);
      if (rows[0]?.ok) break;
      if (Date.now() > deadline) throw new ConfigError(await refusal(client));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return { release: () => client.end().catch(() => undefined) };
}

async function refusal(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ addr: string | null; since: Date }>(
    `SELECT host(a.client_addr) AS addr, a.backend_start AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`,
    [LOCK_KEY],
  );
  const holder = rows[0];
  const who = holder
    ? ` (its session from ${holder.addr ?? 'a local socket'}, since ${holder.since.toISOString()})`
    : '';
  return (
    `another Tributary server already runs on this target database${who}; two servers would run the same ` +
    'connectors: stop it first, or give this one another database (TRIBUTARY_DATABASE_URL)'
  );
}
