import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { describe, expect, inject, it } from 'vitest';
import type { PrerequisiteCheck, TableRef } from '../../../core/plugin/index.js';
import { checkPrerequisites } from '../../../plugins/mysql/checks.js';
import { parseServerVersion } from '../../../plugins/mysql/client/server-flavor.js';
import { type Sql, sqlOver } from '../../../plugins/mysql/client/sql.js';
import { startMariadb } from '../../support/mariadb-server.js';

const GOOD_SETTINGS = {
  log_bin: 'ON',
  binlog_format: 'ROW',
  binlog_row_image: 'FULL',
  binlog_row_metadata: 'FULL',
  server_id: '1',
  partial_revokes: 'OFF',
  lower_case_table_names: '0',
};

interface FakeMysql {
  version?: string;
  settings?: Partial<Record<keyof typeof GOOD_SETTINGS, string>>;
  account?: string;
  roles?: string;
  grants: string[];
}

/** A MySQL server, which cannot run here, as far as the checks ask it. */
function fakeMysql(server: FakeMysql): Sql {
  const settings = { ...GOOD_SETTINGS, ...server.settings };
  const roles = server.roles ?? 'NONE';
  const answer = (text: string, values: readonly unknown[]): Record<string, unknown>[] => {
    if (text.startsWith('SHOW GLOBAL VARIABLES WHERE Variable_name IN'))
      return Object.entries(settings)
        .filter(([name]) => values.includes(name))
        .map(([Variable_name, Value]) => ({ Variable_name, Value }));
    if (text === 'SELECT CURRENT_USER() AS account') return [{ account: server.account ?? 'repl@%' }];
    if (text === 'SELECT CURRENT_ROLE() AS roles') return [{ roles }];
    const grants =
      roles === 'NONE' ? 'SHOW GRANTS FOR CURRENT_USER()' : `SHOW GRANTS FOR CURRENT_USER() USING ${roles}`;
    if (text === grants) return server.grants.map((line) => ({ 'Grants for repl@%': line }));
    throw new Error(`unexpected statement ${text}`);
  };
  return (async (text: string, values: readonly unknown[] = []) => answer(text, values)) as Sql;
}

const mysqlTarget = (server: FakeMysql) => ({
  sql: fakeMysql(server),
  flavor: parseServerVersion(server.version ?? '8.0.36'),
  database: 'shop_eu',
  user: 'repl',
});

const failures = (checks: PrerequisiteCheck[]) =>
  Object.fromEntries(checks.filter((check) => !check.ok).map((check) => [check.name, check.hint]));

const REPLICATION_GRANTS = 'GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `repl`@`%`';

describe('mysql checkPrerequisites on MySQL', () => {
  it('passes every check for an account with the privileges MySQL 8 lists one by one', async () => {
    const checks = await checkPrerequisites(
      mysqlTarget({
        grants: [REPLICATION_GRANTS, 'GRANT BACKUP_ADMIN,REPLICATION_SLAVE_ADMIN ON *.* TO `repl`@`%`'],
      }),
    );

    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['server_version', true],
      ['log_bin', true],
      ['binlog_format', true],
      ['binlog_row_image', true],
      ['server_id', true],
      ['binlog_row_metadata', true],
      ['replication_privilege', true],
      ['replication_client', true],
      ['reload_privilege', true],
      ['select_privilege', true],
    ]);
  });

  it('asks for RELOAD with the account host and counts SELECT granted through an active role', async () => {
    const checks = await checkPrerequisites(
      mysqlTarget({
        version: '8.4.0',
        account: 'repl@10.0.%',
        roles: '`reader`@`%`',
        grants: [
          'GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `repl`@`10.0.%`',
          'GRANT SELECT ON `shop\\_eu`.* TO `repl`@`10.0.%`',
          'GRANT `reader`@`%` TO `repl`@`10.0.%`',
        ],
      }),
      [{ database: 'shop_eu', schema: null, name: 'orders' }],
    );

    expect(failures(checks)).toEqual({ reload_privilege: "GRANT RELOAD ON *.* TO 'repl'@'10.0.%'" });
    expect(checks.find((check) => check.name === 'reload_privilege')?.detail).toBe(
      "'repl'@'10.0.%' lacks RELOAD: the snapshot cannot take FLUSH TABLES WITH READ LOCK to learn its binary log position",
    );
  });

  it('lists unreadable tables and honours partial revokes, which read database names literally', async () => {
    const tables: TableRef[] = [
      { database: 'shop_eu', schema: null, name: 'orders' },
      { database: 'shop_eu', schema: null, name: 'items' },
    ];
    const checks = await checkPrerequisites(
      mysqlTarget({
        settings: { partial_revokes: 'ON' },
        grants: [
          REPLICATION_GRANTS,
          'REVOKE SELECT ON `shop_eu`.* FROM `repl`@`%`',
          'GRANT SELECT ON `shop_eu`.`items` TO `repl`@`%`',
        ],
      }),
      tables,
    );

    expect(checks.find((check) => check.name === 'select_privilege')).toEqual({
      name: 'select_privilege',
      ok: false,
      detail: "'repl'@'%' may not read `shop_eu`.`orders`",
      hint: "GRANT SELECT ON `shop_eu`.* TO 'repl'@'%'",
    });
  });

  it('gives the statement and configuration line for each wrong server setting', async () => {
    const checks = await checkPrerequisites(
      mysqlTarget({
        settings: {
          log_bin: 'OFF',
          binlog_format: 'MIXED',
          binlog_row_image: 'MINIMAL',
          server_id: '0',
          binlog_row_metadata: 'MINIMAL',
        },
        grants: [REPLICATION_GRANTS],
      }),
    );

    expect(failures(checks)).toEqual({
      log_bin:
        'add log-bin=mysql-bin and server-id=1 under [mysqld] in the server configuration (my.cnf) and restart the ' +
        'server (MySQL 8 logs by default unless skip-log-bin or disable-log-bin is set)',
      binlog_format:
        "SET GLOBAL binlog_format = 'ROW'; and add binlog_format=ROW under [mysqld] in the server configuration " +
        '(my.cnf) so it survives a restart (sessions already open keep their format until they reconnect)',
      binlog_row_image:
        "SET GLOBAL binlog_row_image = 'FULL'; and add binlog_row_image=FULL under [mysqld] in the server " +
        'configuration (my.cnf) so it survives a restart (sessions already open keep their setting until they reconnect)',
      server_id:
        'SET GLOBAL server_id = 1; and add server-id=1 under [mysqld] in the server configuration (my.cnf) so it survives a restart',
      binlog_row_metadata:
        "SET GLOBAL binlog_row_metadata = 'FULL'; and add binlog_row_metadata=FULL under [mysqld] in the server " +
        'configuration (my.cnf) so it survives a restart (sessions already open keep their setting until they reconnect)',
    });
  });

  it('reports MySQL 5.7 as too old without asking it for roles', async () => {
    const checks = await checkPrerequisites(
      mysqlTarget({ version: '5.7.44-log', grants: [REPLICATION_GRANTS] }),
    );

    expect(failures(checks)).toEqual({
      server_version:
        'upgrade the source to MySQL 8.0 or later, or MariaDB 10.5 or later (10.11 recommended)',
    });
  });
});

/** A session on the MariaDB at `url`, as `user` when given. */
async function connect(url: string, user?: { name: string; password: string }): Promise<mysql.Connection> {
  const { hostname, port, username, password } = new URL(url);
  return mysql.createConnection({
    host: hostname,
    port: Number(port),
    user: user?.name ?? decodeURIComponent(username),
    password: user?.password ?? decodeURIComponent(password),
  });
}

async function mariadbChecks(session: mysql.Connection, database: string, user: string, tables?: TableRef[]) {
  const sql = sqlOver(session);
  const [row] = await sql<{ version: string }>('SELECT VERSION() AS version');
  return checkPrerequisites({ sql, flavor: parseServerVersion(row?.version ?? ''), database, user }, tables);
}

describe('mysql checkPrerequisites on MariaDB', () => {
  const url = inject('mariadbUrl');

  it('passes every check for the administrator', async () => {
    const admin = await connect(url);
    const database = `checks_${randomBytes(4).toString('hex')}`;
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE TABLE ${database}.items (id int PRIMARY KEY)`);

      const checks = await mariadbChecks(admin, database, 'admin', [
        { database, schema: null, name: 'items' },
      ]);

      expect(checks.filter((check) => !check.ok)).toEqual([]);
      expect(checks.map((check) => check.name)).toEqual([
        'server_version',
        'log_bin',
        'binlog_format',
        'binlog_row_image',
        'server_id',
        'binlog_row_metadata',
        'replication_privilege',
        'replication_client',
        'select_privilege',
      ]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    }
  });

  it('fails the replication checks of a SELECT-only user with the grants that fix them', async () => {
    const admin = await connect(url);
    const suffix = randomBytes(4).toString('hex');
    const database = `checks_${suffix}`;
    const user = { name: `reader_${suffix}`, password: `pw-${suffix}` };
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE TABLE ${database}.items (id int PRIMARY KEY)`);
      await admin.query(`CREATE TABLE ${database}.orders (id int PRIMARY KEY)`);
      await admin.query("CREATE USER ?@'%' IDENTIFIED BY ?", [user.name, user.password]);
      await admin.query(`GRANT SELECT ON ${database}.items TO ?@'%'`, [user.name]);
      const reader = await connect(url, user);
      const tables = (['items', 'orders'] as const).map((name) => ({ database, schema: null, name }));

      const checks = await mariadbChecks(reader, database, user.name, tables).finally(() => reader.end());

      const account = `'${user.name}'@'%'`;
      expect(failures(checks)).toEqual({
        replication_privilege: `GRANT REPLICATION SLAVE ON *.* TO ${account}`,
        replication_client: `GRANT BINLOG MONITOR ON *.* TO ${account}`,
        select_privilege: `GRANT SELECT ON \`checks\\_${suffix}\`.* TO ${account}`,
      });
      expect(checks.find((check) => check.name === 'select_privilege')?.detail).toBe(
        `${account} may not read \`${database}\`.\`orders\``,
      );

      await admin.query(`GRANT SELECT ON \`checks\\_${suffix}\`.* TO ?@'%'`, [user.name]);
      const granted = await connect(url, user);
      const after = await mariadbChecks(granted, database, user.name, tables).finally(() => granted.end());
      expect(Object.keys(failures(after))).toEqual(['replication_privilege', 'replication_client']);
    } finally {
      await admin.query("DROP USER IF EXISTS ?@'%'", [user.name]);
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    }
  });

  it('fails binlog_format on a server logging statements, with the statement that fixes it', async () => {
    await using server = await startMariadb('statement', { binlog_format: 'STATEMENT' });
    const admin = await connect(server.url);

    const checks = await mariadbChecks(admin, 'mysql', 'admin').finally(() => admin.end());

    expect(checks.filter((check) => !check.ok)).toEqual([
      {
        name: 'binlog_format',
        ok: false,
        detail: 'binlog_format is STATEMENT',
        hint:
          "SET GLOBAL binlog_format = 'ROW'; and add binlog_format=ROW under [mysqld] in the server configuration " +
          '(my.cnf) so it survives a restart (sessions already open keep their format until they reconnect)',
      },
    ]);
  });
});
