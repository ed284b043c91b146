import type { PrerequisiteCheck, TableRef } from '../../core/plugin/index.js';
import { prerequisiteCheck as check } from '../../core/plugin/kit.js';
import { AccountPrivileges, readGrants } from './client/grants.js';
import { quoteIdent, quoteTable } from './client/identifiers.js';
import {
  binlogStatusStatement,
  hasBinlogMonitor,
  listBinlogsStatement,
  type ServerFlavor,
  versionAtLeast,
} from './client/server-flavor.js';
import type { Sql } from './client/sql.js';

export interface CheckTarget {
  readonly sql: Sql;
  readonly flavor: ServerFlavor;
  readonly database: string;
  readonly user: string;
}

type Variables = ReadonlyMap<string, string>;

const VARIABLES = [
  'log_bin',
  'binlog_format',
  'binlog_row_image',
  'binlog_row_metadata',
  'server_id',
  'partial_revokes',
  'lower_case_table_names',
];

/**
 * Every prerequisite of reading the binary log, each with the exact statement or setting that
 * fixes it. Privileges come from `SHOW GRANTS` of the session account (`CURRENT_USER()`, whose
 * host the GRANT hints name) and its active roles. `select_privilege` covers `tables` when given,
 * else the connector's database. Throws when the server cannot be queried.
 */
export async function checkPrerequisites(
  target: CheckTarget,
  tables?: readonly TableRef[],
): Promise<PrerequisiteCheck[]> {
  const rows = await target.sql<{ Variable_name: string; Value: string }>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${VARIABLES.map(() => '?').join(', ')})`,
    VARIABLES,
  );
  const variables: Variables = new Map(
    rows.map((row) => [row.Variable_name.toLowerCase(), String(row.Value)]),
  );
  const [current] = await target.sql<{ account: string }>('SELECT CURRENT_USER() AS account');
  const account = accountName(current?.account, target.user);
  const wildcards = !(target.flavor.kind === 'mysql' && variables.get('partial_revokes') === 'ON');
  const privileges = new AccountPrivileges(await readGrants(target.sql, target.flavor), {
    literalDatabaseNames: !wildcards,
    caseInsensitive: (variables.get('lower_case_table_names') ?? '0') !== '0',
  });
  return [
    ...serverChecks(target.flavor, variables),
    ...privilegeChecks(target.flavor, account, privileges),
    selectCheck(target.database, account, privileges, wildcards, tables),
  ];
}

function serverChecks(flavor: ServerFlavor, variables: Variables): PrerequisiteCheck[] {
  const value = (name: string) => variables.get(name) ?? 'not set';
  const persist = (setting: string) =>
    `and add ${setting} under [mysqld] in the server configuration (my.cnf) so it survives a restart`;
  const format = variables.get('binlog_format');
  const metadata = variables.get('binlog_row_metadata');
  const supported = flavor.kind === 'mysql' ? flavor.major >= 8 : versionAtLeast(flavor, 10, 5);
  const name = flavor.kind === 'mysql' ? 'MySQL' : 'MariaDB';
  return [
    check(
      'server_version',
      supported,
      `the server is ${name} ${flavor.major}.${flavor.minor}.${flavor.patch}`,
      {
        hint: 'upgrade the source to MySQL 8.0 or later, or MariaDB 10.5 or later (10.11 recommended)',
      },
    ),
    check('log_bin', value('log_bin') === 'ON', `log_bin is ${value('log_bin')}`, {
      hint:
        'add log-bin=mysql-bin and server-id=1 under [mysqld] in the server configuration (my.cnf) and restart ' +
        'the server (MySQL 8 logs by default unless skip-log-bin or disable-log-bin is set)',
    }),
    check(
      'binlog_format',
      format === 'ROW' || format === undefined,
      format === undefined
        ? 'the server has no binlog_format setting: it logs rows'
        : `binlog_format is ${format}`,
      {
        hint: `SET GLOBAL binlog_format = 'ROW'; ${persist('binlog_format=ROW')} (sessions already open keep their format until they reconnect)`,
      },
    ),
    check(
      'binlog_row_image',
      value('binlog_row_image') === 'FULL',
      `binlog_row_image is ${value('binlog_row_image')}`,
      {
        hint: `SET GLOBAL binlog_row_image = 'FULL'; ${persist('binlog_row_image=FULL')} (sessions already open keep their setting until they reconnect)`,
      },
    ),
    check('server_id', Number(value('server_id')) > 0, `server_id is ${value('server_id')}`, {
      hint: `SET GLOBAL server_id = 1; ${persist('server-id=1')}`,
    }),
    check(
      'binlog_row_metadata',
      metadata === 'FULL',
      `binlog_row_metadata is ${metadata ?? 'not a setting of this server'}: rows must carry their column names, ` +
        'so that a row logged before a later ALTER TABLE decodes with the columns it was written with',
      {
        hint: `SET GLOBAL binlog_row_metadata = 'FULL'; ${persist('binlog_row_metadata=FULL')} (sessions already open keep their setting until they reconnect)`,
      },
    ),
  ];
}

function privilegeChecks(
  flavor: ServerFlavor,
  account: string,
  privileges: AccountPrivileges,
): PrerequisiteCheck[] {
  const client = hasBinlogMonitor(flavor) ? 'BINLOG MONITOR' : 'REPLICATION CLIENT';
  const clientAliases = hasBinlogMonitor(flavor) ? ['REPLICATION CLIENT'] : ['SUPER'];
  const checks = [
    privilegeCheck(
      'replication_privilege',
      account,
      'REPLICATION SLAVE',
      privileges.hasGlobal('REPLICATION SLAVE', 'REPLICATION REPLICA'),
      'it cannot read the binary log',
    ),
    privilegeCheck(
      'replication_client',
      account,
      client,
      privileges.hasGlobal(client, ...clientAliases),
      `it cannot run ${binlogStatusStatement(flavor)} or ${listBinlogsStatement(flavor)}`,
    ),
  ];
  if (flavor.kind === 'mysql')
    checks.push(
      privilegeCheck(
        'reload_privilege',
        account,
        'RELOAD',
        privileges.hasGlobal('RELOAD'),
        'the snapshot cannot take FLUSH TABLES WITH READ LOCK to learn its binary log position',
      ),
    );
  return checks;
}

function privilegeCheck(
  name: string,
  account: string,
  privilege: string,
  ok: boolean,
  consequence: string,
): PrerequisiteCheck {
  return ok
    ? check(name, true, `${account} has ${privilege}`)
    : check(name, false, `${account} lacks ${privilege}: ${consequence}`, {
        hint: `GRANT ${privilege} ON *.* TO ${account}`,
      });
}

function selectCheck(
  database: string,
  account: string,
  privileges: AccountPrivileges,
  wildcards: boolean,
  tables: readonly TableRef[] | undefined,
): PrerequisiteCheck {
  const hint = (databases: readonly string[]) =>
    [...new Set(databases)]
      .map(
        (name) =>
          `GRANT SELECT ON ${quoteIdent(wildcards ? name.replace(/[_%\\]/g, '\\$&') : name)}.* TO ${account}`,
      )
      .join('; ');
  if (tables !== undefined) {
    const unreadable = tables.filter((table) => !privileges.canSelectTable(table.database, table.name));
    const names = unreadable.map((table) => quoteTable(table.database, table.name)).join(', ');
    return unreadable.length === 0
      ? check('select_privilege', true, `${account} may read all ${tables.length} tables`)
      : check('select_privilege', false, `${account} may not read ${names}`, {
          hint: hint(unreadable.map((table) => table.database)),
        });
  }
  if (privileges.canSelectDatabase(database))
    return check('select_privilege', true, `${account} may read every table of ${quoteIdent(database)}`);
  const granted = privileges.selectableTables(database);
  if (granted.length > 0)
    return check(
      'select_privilege',
      true,
      `${account} may read ${granted.map((table) => quoteTable(database, table)).join(', ')} through table ` +
        `grants, not the whole database ${quoteIdent(database)}: tables added later need their own grant`,
    );
  return check('select_privilege', false, `${account} may not read the tables of ${quoteIdent(database)}`, {
    hint: hint([database]),
  });
}

/** `'user'@'host'` of `CURRENT_USER()` (`user@host`); `'<user>'@'%'` when the server gave none. */
function accountName(current: string | undefined, user: string): string {
  const at = current?.lastIndexOf('@') ?? -1;
  if (current === undefined || at < 0) return `${quoteString(user)}@'%'`;
  return `${quoteString(current.slice(0, at))}@${quoteString(current.slice(at + 1))}`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
