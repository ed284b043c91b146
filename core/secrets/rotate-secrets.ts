import { ConfigError } from '../errors.js';
import type { TargetDatabase } from '../target/target-database.js';
import type { SecretBox } from './secret-box.js';

/** The `application_name` of a running server's connections (see TargetDatabase). */
const SERVER_APPLICATION_NAME = 'tributary';

/**
 * Re-encrypts every connector's stored secrets from `current` to `next` in one transaction, with
 * `tributary.connectors` locked against writes. Every value is decrypted before any is rewritten:
 * when one does not decrypt under `current`, throws ConfigError naming the connector and nothing
 * changes. Returns how many connectors' secrets were re-encrypted (0 on an unmigrated database).
 */
export async function reEncryptSecrets(
  database: TargetDatabase,
  current: SecretBox,
  next: SecretBox,
): Promise<number> {
  return database.transaction(async (client) => {
    const table = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('tributary.connectors') IS NOT NULL AS exists`,
    );
    if (!table.rows[0]?.exists) return 0;
    await client.query('LOCK TABLE tributary.connectors IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ name: string; secrets: string }>(
      'SELECT name, secrets FROM tributary.connectors ORDER BY name',
    );
    const rewritten = rows.map(({ name, secrets }) => {
      try {
        return { name, secrets: next.encrypt(current.decrypt(secrets)) };
      } catch (error) {
        throw new ConfigError(
          `the current key cannot decrypt the secrets of connector "${name}"; nothing was changed ` +
            '(give the key the server runs with, in TRIBUTARY_SECRET_KEY or the data directory)',
          { cause: error },
        );
      }
    });
    for (const { name, secrets } of rewritten) {
      await client.query('UPDATE tributary.connectors SET secrets = $2 WHERE name = $1', [name, secrets]);
    }
    return rewritten.length;
  });
}

/** How many connections a running Tributary server holds on this database (0 when none runs). */
export async function serverConnections(database: TargetDatabase): Promise<number> {
  const { rows } = await database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
    [SERVER_APPLICATION_NAME],
  );
  return rows[0]?.n ?? 0;
}
