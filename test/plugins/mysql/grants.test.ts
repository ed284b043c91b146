import { describe, expect, it } from 'vitest';
import {
  AccountPrivileges,
  parseGrantLine,
  parseGrants,
  readGrants,
} from '../../../plugins/mysql/client/grants.js';
import { parseServerVersion } from '../../../plugins/mysql/client/server-flavor.js';
import type { Sql } from '../../../plugins/mysql/client/sql.js';

const privilegesOf = (lines: string[], matching?: ConstructorParameters<typeof AccountPrivileges>[1]) =>
  new AccountPrivileges(parseGrants(lines), matching);

describe('parseGrantLine', () => {
  it('reads a global ALL PRIVILEGES grant with its password and grant option', () => {
    expect(
      parseGrantLine(
        "GRANT ALL PRIVILEGES ON *.* TO `admin`@`%` IDENTIFIED BY PASSWORD '*D8218' WITH GRANT OPTION",
      ),
    ).toEqual({
      level: 'global',
      database: null,
      table: null,
      privileges: [{ name: 'ALL PRIVILEGES', columns: null }],
      revoke: false,
    });
  });

  it('reads MySQL 8 static and dynamic privilege lists, with or without spaces after commas', () => {
    const staticLine = parseGrantLine(
      'GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `u`@`%` WITH GRANT OPTION',
    );
    const dynamicLine = parseGrantLine('GRANT BACKUP_ADMIN,REPLICATION_SLAVE_ADMIN ON *.* TO `u`@`%`');

    expect(staticLine && 'privileges' in staticLine && staticLine.privileges.map((p) => p.name)).toEqual([
      'SELECT',
      'RELOAD',
      'REPLICATION SLAVE',
      'REPLICATION CLIENT',
    ]);
    expect(dynamicLine && 'privileges' in dynamicLine && dynamicLine.privileges.map((p) => p.name)).toEqual([
      'BACKUP_ADMIN',
      'REPLICATION_SLAVE_ADMIN',
    ]);
  });

  it('unquotes doubled backticks and keeps the LIKE escapes of database names', () => {
    expect(parseGrantLine('GRANT SELECT ON `we``ird`.* TO `u`@`%`')).toMatchObject({
      level: 'database',
      database: 'we`ird',
    });
    expect(parseGrantLine('GRANT SELECT ON `my\\_db`.* TO `u`@`%`')).toMatchObject({ database: 'my\\_db' });
  });

  it('reads table grants and column lists whose commas are not privilege separators', () => {
    expect(parseGrantLine('GRANT SELECT (`id`, `na,me`), INSERT ON `db`.`t 1` TO `u`@`%`')).toEqual({
      level: 'table',
      database: 'db',
      table: 't 1',
      privileges: [
        { name: 'SELECT', columns: ['id', 'na,me'] },
        { name: 'INSERT', columns: null },
      ],
      revoke: false,
    });
  });

  it('reads role grants of MariaDB and MySQL', () => {
    expect(parseGrantLine('GRANT `r1` TO `u2`@`127.0.0.1` WITH ADMIN OPTION')).toEqual({ roles: ['r1'] });
    expect(parseGrantLine('GRANT `app`@`%`,`ops`@`localhost` TO `u`@`%`')).toEqual({
      roles: ['app@%', 'ops@localhost'],
    });
  });

  it('reads partial revokes, routines and proxies, and skips other statements', () => {
    expect(parseGrantLine('REVOKE SELECT ON `mysql`.* FROM `u`@`%`')).toMatchObject({
      level: 'database',
      database: 'mysql',
      revoke: true,
    });
    expect(parseGrantLine('GRANT EXECUTE ON PROCEDURE `db`.`p` TO `u`@`%`')).toMatchObject({
      level: 'routine',
      database: 'db',
      table: 'p',
    });
    expect(parseGrantLine("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION")).toMatchObject({
      level: 'proxy',
    });
    expect(parseGrantLine('SET DEFAULT ROLE `r1` FOR `u2`@`127.0.0.1`')).toBeNull();
  });
});

describe('AccountPrivileges', () => {
  it('gives every privilege through ALL PRIVILEGES on *.* and nothing through USAGE', () => {
    const admin = privilegesOf(['GRANT ALL PRIVILEGES ON *.* TO `a`@`%`']);
    const nobody = privilegesOf(['GRANT USAGE ON *.* TO `n`@`%`']);

    expect(admin.hasGlobal('REPLICATION SLAVE')).toBe(true);
    expect(admin.canSelectTable('any', 'table')).toBe(true);
    expect(nobody.hasGlobal('REPLICATION SLAVE')).toBe(false);
    expect(nobody.canSelectDatabase('any')).toBe(false);
  });

  it('matches database grants as LIKE patterns where an escaped underscore is literal', () => {
    const privileges = privilegesOf([
      'GRANT SELECT ON `my\\_db`.* TO `u`@`%`',
      'GRANT SELECT ON `app_`.* TO `u`@`%`',
      'GRANT SELECT ON `shop%`.* TO `u`@`%`',
    ]);

    expect(privileges.canSelectDatabase('my_db')).toBe(true);
    expect(privileges.canSelectDatabase('myXdb')).toBe(false);
    expect(privileges.canSelectDatabase('app1')).toBe(true);
    expect(privileges.canSelectDatabase('shop_eu')).toBe(true);
    expect(privileges.canSelectDatabase('Shop_eu')).toBe(false);
  });

  it('reads database names literally when MySQL partial revokes are on, and ignores case when asked', () => {
    const lines = ['GRANT SELECT ON `app_`.* TO `u`@`%`'];

    expect(
      privilegesOf(lines, { literalDatabaseNames: true, caseInsensitive: false }).canSelectDatabase('app1'),
    ).toBe(false);
    expect(
      privilegesOf(lines, { literalDatabaseNames: true, caseInsensitive: true }).canSelectDatabase('APP_'),
    ).toBe(true);
  });

  it('counts table grants for their table only and never column grants', () => {
    const privileges = privilegesOf([
      'GRANT SELECT, INSERT ON `db`.`t1` TO `u`@`%`',
      'GRANT SELECT (`id`) ON `db`.`t2` TO `u`@`%`',
      'GRANT ALL PRIVILEGES ON `db`.`t3` TO `u`@`%`',
    ]);

    expect(privileges.canSelectTable('db', 't1')).toBe(true);
    expect(privileges.canSelectTable('db', 't2')).toBe(false);
    expect(privileges.canSelectTable('db', 't3')).toBe(true);
    expect(privileges.canSelectDatabase('db')).toBe(false);
    expect(privileges.selectableTables('db')).toEqual(['t1', 't3']);
  });

  it('withholds a global privilege from a database it was partially revoked on', () => {
    const privileges = privilegesOf([
      'GRANT SELECT, REPLICATION SLAVE ON *.* TO `u`@`%`',
      'REVOKE SELECT ON `secret`.* FROM `u`@`%`',
    ]);

    expect(privileges.canSelectDatabase('shop')).toBe(true);
    expect(privileges.canSelectDatabase('secret')).toBe(false);
  });
});

describe('readGrants', () => {
  const scripted = (answers: Record<string, Record<string, unknown>[]>) => {
    const statements: string[] = [];
    const sql = (async (text: string) => {
      statements.push(text);
      const rows = answers[text];
      if (rows === undefined) throw new Error(`unexpected statement ${text}`);
      return rows;
    }) as Sql;
    return { sql, statements };
  };

  it('reads MariaDB grants with plain SHOW GRANTS, which includes the current role', async () => {
    const { sql, statements } = scripted({
      'SHOW GRANTS': [
        { 'Grants for u@%': 'GRANT `r1` TO `u`@`%`' },
        { 'Grants for u@%': 'GRANT REPLICATION SLAVE ON *.* TO `u`@`%`' },
        { 'Grants for u@%': 'GRANT SELECT ON `db`.* TO `r1`' },
      ],
    });

    const grants = await readGrants(sql, parseServerVersion('10.11.19-MariaDB-log'));

    expect(statements).toEqual(['SHOW GRANTS']);
    expect(grants.roles).toEqual(['r1']);
    expect(new AccountPrivileges(grants).canSelectDatabase('db')).toBe(true);
  });

  it('reads MySQL grants with the privileges of the active roles', async () => {
    const { sql, statements } = scripted({
      'SELECT CURRENT_ROLE() AS roles': [{ roles: '`app`@`%`' }],
      'SHOW GRANTS FOR CURRENT_USER() USING `app`@`%`': [
        { 'Grants for u@%': 'GRANT USAGE ON *.* TO `u`@`%`' },
        { 'Grants for u@%': 'GRANT SELECT ON `db`.* TO `u`@`%`' },
        { 'Grants for u@%': 'GRANT `app`@`%` TO `u`@`%`' },
      ],
    });

    const grants = await readGrants(sql, parseServerVersion('8.4.0'));

    expect(statements).toEqual([
      'SELECT CURRENT_ROLE() AS roles',
      'SHOW GRANTS FOR CURRENT_USER() USING `app`@`%`',
    ]);
    expect(grants.roles).toEqual(['app@%']);
  });

  it('reads MySQL grants without USING when no role is active', async () => {
    const { sql } = scripted({
      'SELECT CURRENT_ROLE() AS roles': [{ roles: 'NONE' }],
      'SHOW GRANTS FOR CURRENT_USER()': [{ 'Grants for u@%': 'GRANT USAGE ON *.* TO `u`@`%`' }],
    });

    await expect(readGrants(sql, parseServerVersion('8.0.36'))).resolves.toEqual({
      grants: [expect.objectContaining({ level: 'global', privileges: [{ name: 'USAGE', columns: null }] })],
      roles: [],
    });
  });
});
