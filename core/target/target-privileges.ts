import type { Logger } from '../logger.js';
import type { TargetDatabase } from './target-database.js';

/** What the target user may do beyond what Tributary needs, as read from the catalog at start. */
export interface TargetPrivileges {
  readonly user: string;
  readonly superuser: boolean;
  /** CREATEROLE or BYPASSRLS: powers Tributary never uses. */
  readonly extra: readonly string[];
}

export async function readTargetPrivileges(db: TargetDatabase): Promise<TargetPrivileges> {
  const { rows } = await db.query<{
    user: string;
    superuser: boolean;
    createrole: boolean;
    bypassrls: boolean;
  }>(
    `SELECT rolname AS user, rolsuper AS superuser, rolcreaterole AS createrole, rolbypassrls AS bypassrls
       FROM pg_catalog.pg_roles WHERE rolname = current_user`,
  );
  const row = rows[0];
  const extra = [row?.createrole ? 'CREATEROLE' : null, row?.bypassrls ? 'BYPASSRLS' : null].filter(
    (power): power is string => power !== null,
  );
  return { user: row?.user ?? '', superuser: row?.superuser === true, extra };
}

/**
 * Logs, once at start, a warning when the configured target user is a superuser or has powers
 * Tributary never needs (README, "The target user"). The embedded PostgreSQL runs as its own
 * superuser on loopback only, with a generated password: that is said once at debug level, not
 * warned about on every start.
 */
export async function warnAboutTargetPrivileges(
  db: TargetDatabase,
  logger: Logger,
  embedded: boolean,
): Promise<TargetPrivileges> {
  const privileges = await readTargetPrivileges(db);
  const { user, superuser, extra } = privileges;
  if (embedded) {
    logger.debug(
      { user, superuser },
      'the embedded PostgreSQL is used as its own superuser, on loopback only',
    );
  } else if (superuser) {
    logger.warn(
      { user },
      `the target user "${user}" is a superuser: whoever holds an admin token acts with its privileges; ` +
        'give Tributary its own role that owns the destination schemas and the tributary schema (see README, The target user)',
    );
  } else if (extra.length > 0) {
    logger.warn(
      { user, extra },
      `the target user "${user}" has ${extra.join(' and ')}, which Tributary never needs`,
    );
  }
  return privileges;
}
