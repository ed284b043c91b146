import type { PrerequisiteCheck, TableRef } from '../../core/plugin/index.js';
import { prerequisiteCheck as check } from '../../core/plugin/kit.js';
import { quoteIdent, quoteTable } from './client/identifiers.js';
import type { Sql } from './client/sql.js';
import { ddlTriggerInstalled, ddlTriggerScript } from './schema/ddl-trigger.js';

export interface CheckTarget {
  readonly sql: Sql;
  readonly database: string;
  readonly user: string;
  readonly schema: string;
  readonly slot: string;
  readonly publication: string;
  /** `options.captureDdl`: the DDL trigger is a prerequisite. */
  readonly captureDdl: boolean;
}

interface ServerFacts {
  version: number;
  wal_level: string;
  max_slots: number;
  used_slots: number;
  slot_exists: boolean;
  max_senders: number;
  used_senders: number;
  replication: boolean;
  superuser: boolean;
  can_create: boolean;
  publication_exists: boolean;
}

interface TableFacts {
  schema: string;
  name: string;
  identity: string;
  has_key: boolean;
  owned: boolean;
  can_select: boolean;
  published: boolean;
}

const MIN_VERSION = 130000;
/** pgoutput delivers logical decoding messages (`messages 'true'`) from 14 on. */
const DDL_CAPTURE_VERSION = 140000;
/** The stream and a pinned snapshot each hold a walsender. */
const SENDERS_NEEDED = 2;

/**
 * Every prerequisite of change capture, each with the exact statement or setting that fixes it.
 * Table checks cover `tables` when given, else the tables of the capture's publication when it
 * exists, else every table of the connector's schema.
 */
export async function checkPrerequisites(
  target: CheckTarget,
  tables?: readonly TableRef[],
): Promise<PrerequisiteCheck[]> {
  const [server] = await target.sql<ServerFacts>(
    `SELECT current_setting('server_version_num')::int AS version,
            current_setting('wal_level') AS wal_level,
            current_setting('max_replication_slots')::int AS max_slots,
            (SELECT count(*)::int FROM pg_replication_slots) AS used_slots,
            EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1) AS slot_exists,
            current_setting('max_wal_senders')::int AS max_senders,
            (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'walsender') AS used_senders,
            r.rolreplication AS replication, r.rolsuper AS superuser,
            has_database_privilege(current_database(), 'CREATE') AS can_create,
            EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $2) AS publication_exists
     FROM pg_roles r WHERE r.rolname = current_user`,
    [target.slot, target.publication],
  );
  if (server === undefined) throw new Error(`role ${target.user} is not in pg_roles`);
  const facts = await tableFacts(target, server.publication_exists, tables);
  const ddl = target.captureDdl ? [await ddlCaptureCheck(target, server)] : [];
  return [...serverChecks(target, server), ...ddl, ...tableChecks(target, server, facts)];
}

/**
 * The DDL event trigger (schema/ddl-trigger.ts): present, or creatable by this superuser at the first
 * capture. Missing otherwise: passes (the source replicates without DDL capture, as before it
 * existed) with the statements an administrator runs in the hint (or `captureDdl: false`).
 * Before PostgreSQL 14 it cannot work, which is reported without failing.
 */
async function ddlCaptureCheck(target: CheckTarget, server: ServerFacts): Promise<PrerequisiteCheck> {
  if (server.version < DDL_CAPTURE_VERSION)
    return check(
      'ddl_capture',
      true,
      `server_version_num is ${server.version}: DDL capture needs PostgreSQL 14 or later, so tables change shape only when their next row arrives`,
    );
  if (await ddlTriggerInstalled(target.sql))
    return check('ddl_capture', true, 'the DDL event triggers tributary_ddl_* are installed');
  if (server.superuser)
    return check(
      'ddl_capture',
      true,
      `the DDL event triggers tributary_ddl_* are missing; the first capture creates them (role ${target.user} is a superuser)`,
    );
  // not a failure: without the trigger the source replicates as before (schema changes seen with
  // the table's next row), so the check passes and says what turns DDL capture on
  return {
    name: 'ddl_capture',
    ok: true,
    detail: `DDL capture is off: the DDL event triggers tributary_ddl_* are missing in database ${target.database} and only a superuser may create them, so tables created at the source are not replicated, drops are not seen and an ALTER is seen with the table's next row`,
    hint: `as a superuser, in database ${quoteIdent(target.database)}: ${ddlTriggerScript()} — or set options.captureDdl to false to silence this`,
  };
}

function serverChecks(target: CheckTarget, server: ServerFacts): PrerequisiteCheck[] {
  const user = quoteIdent(target.user);
  const freeSlots = server.max_slots - server.used_slots;
  const freeSenders = server.max_senders - server.used_senders;
  return [
    check('server_version', server.version >= MIN_VERSION, `server_version_num is ${server.version}`, {
      hint: 'upgrade the source to PostgreSQL 13 or later',
    }),
    check('wal_level', server.wal_level === 'logical', `wal_level is ${server.wal_level}`, {
      hint: "ALTER SYSTEM SET wal_level = 'logical'; then restart PostgreSQL",
    }),
    check(
      'replication_privilege',
      server.replication || server.superuser,
      `role ${target.user} ${server.superuser ? 'is a superuser' : server.replication ? 'has REPLICATION' : 'has neither REPLICATION nor SUPERUSER'}`,
      { hint: `ALTER ROLE ${user} WITH REPLICATION` },
    ),
    check(
      'replication_slots',
      server.slot_exists || freeSlots >= 1,
      server.slot_exists
        ? `replication slot ${target.slot} exists`
        : `${server.used_slots} of max_replication_slots = ${server.max_slots} are in use`,
      {
        hint: `ALTER SYSTEM SET max_replication_slots = ${server.used_slots + 1}; then restart PostgreSQL (or drop an unused slot with SELECT pg_drop_replication_slot('<name>'))`,
      },
    ),
    check(
      'wal_senders',
      freeSenders >= SENDERS_NEEDED,
      `${server.used_senders} of max_wal_senders = ${server.max_senders} are in use; the stream and a snapshot need ${SENDERS_NEEDED}`,
      {
        hint: `ALTER SYSTEM SET max_wal_senders = ${server.used_senders + SENDERS_NEEDED}; then restart PostgreSQL`,
      },
    ),
  ];
}

function tableChecks(
  target: CheckTarget,
  server: ServerFacts,
  tables: readonly TableFacts[],
): PrerequisiteCheck[] {
  const database = quoteIdent(target.database);
  const user = quoteIdent(target.user);
  const name = (table: TableFacts) =>
    quoteTable({ database: target.database, schema: table.schema, name: table.name });
  const withoutIdentity = tables.filter(
    (table) =>
      !(table.identity === 'f' || table.identity === 'i' || (table.identity === 'd' && table.has_key)),
  );
  const unreadable = tables.filter((table) => !table.can_select);
  const mayPublish = server.superuser || server.publication_exists || server.can_create;
  const notOwned = server.superuser ? [] : tables.filter((table) => !table.published && !table.owned);
  const checks: PrerequisiteCheck[] = [];
  if (withoutIdentity.length === 0) {
    checks.push(
      check(
        'replica_identity',
        true,
        `all ${tables.length} tables have a primary key or REPLICA IDENTITY FULL`,
      ),
    );
  }
  for (const table of withoutIdentity) {
    const identity = { d: 'DEFAULT without a primary key', n: 'NOTHING' }[table.identity] ?? table.identity;
    checks.push(
      check(
        'replica_identity',
        false,
        `table ${name(table)} has REPLICA IDENTITY ${identity}: its UPDATEs and DELETEs cannot be captured`,
        {
          hint: `ALTER TABLE ${name(table)} REPLICA IDENTITY FULL`,
        },
      ),
    );
  }
  checks.push(
    unreadable.length === 0
      ? check('select_privilege', true, `role ${target.user} may read all ${tables.length} tables`)
      : check(
          'select_privilege',
          false,
          `role ${target.user} may not read ${unreadable.map(name).join(', ')}`,
          {
            hint: `GRANT SELECT ON ${unreadable.map(name).join(', ')} TO ${user}`,
          },
        ),
  );
  const first = notOwned[0];
  if (!mayPublish) {
    checks.push(
      check(
        'publication_privilege',
        false,
        `role ${target.user} may not create publication ${target.publication}`,
        {
          hint: `GRANT CREATE ON DATABASE ${database} TO ${user}`,
        },
      ),
    );
  } else if (first !== undefined) {
    checks.push(
      check(
        'publication_privilege',
        false,
        `only a table's owner may publish it; role ${target.user} does not own ${notOwned.map(name).join(', ')}`,
        { hint: `ALTER TABLE ${name(first)} OWNER TO ${user}` },
      ),
    );
  } else {
    checks.push(
      check(
        'publication_privilege',
        true,
        `role ${target.user} may create and extend publication ${target.publication}`,
      ),
    );
  }
  return checks;
}

async function tableFacts(
  target: CheckTarget,
  publicationExists: boolean,
  tables: readonly TableRef[] | undefined,
): Promise<TableFacts[]> {
  const [scope, scopeValues] =
    tables !== undefined
      ? [
          '(n.nspname, c.relname) IN (SELECT * FROM unnest($2::text[], $3::text[]))',
          [tables.map((table) => table.schema ?? ''), tables.map((table) => table.name)],
        ]
      : publicationExists
        ? [
            '(n.nspname, c.relname) IN (SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1)',
            [],
          ]
        : ["n.nspname = $2 AND c.relkind IN ('r', 'p') AND NOT c.relispartition", [target.schema]];
  return target.sql<TableFacts>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relreplident AS identity,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_key,
            pg_has_role(c.relowner, 'USAGE') AS owned,
            has_table_privilege(c.oid, 'SELECT') AS can_select,
            EXISTS (SELECT 1 FROM pg_publication_tables p
                    WHERE p.pubname = $1 AND p.schemaname = n.nspname AND p.tablename = c.relname) AS published
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${scope}
     ORDER BY n.nspname, c.relname`,
    [target.publication, ...scopeValues],
  );
}
