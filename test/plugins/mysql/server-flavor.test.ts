import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticationHint,
  binlogAvailable,
  binlogStatusStatement,
  openConsistentSnapshot,
  parseGtidState,
  parseServerVersion,
  readBinlogPosition,
} from '../../../plugins/mysql/client/server-flavor.js';
import { type Sql, sqlOver } from '../../../plugins/mysql/client/sql.js';
import { type MariadbServer, startMariadb } from '../../support/mariadb-server.js';
import { waitFor } from '../../support/wait-for.js';

type Step = readonly [statement: string, answer: Record<string, unknown>[] | Error];

/** A fake server for MySQL, which cannot run here: answers `steps` in order, anything else throws. */
function scriptedSql(...steps: Step[]) {
  const statements: string[] = [];
  const pending = [...steps];
  const sql = (async (text: string) => {
    statements.push(text);
    const [expected, answer] = pending.shift() ?? ['(nothing)', []];
    if (text !== expected) throw new Error(`unexpected statement ${text}; expected ${expected}`);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as Sql;
  return { sql, statements, pending };
}

const mysql80 = parseServerVersion('8.0.36-0ubuntu0.22.04.1');
const mysql84 = parseServerVersion('8.4.0');
const mariadb = parseServerVersion('10.11.19-MariaDB-0+deb12u1-log');
const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';

describe('parseServerVersion', () => {
  it('tells MariaDB from MySQL and reads major, minor and patch', () => {
    expect(mariadb).toEqual({
      kind: 'mariadb',
      major: 10,
      minor: 11,
      patch: 19,
      text: '10.11.19-MariaDB-0+deb12u1-log',
    });
    expect(parseServerVersion('5.5.5-10.6.16-MariaDB')).toMatchObject({
      kind: 'mariadb',
      major: 10,
      minor: 6,
    });
    expect(mysql80).toMatchObject({ kind: 'mysql', major: 8, minor: 0, patch: 36 });
    expect(parseServerVersion('9.1.0')).toMatchObject({ kind: 'mysql', major: 9, minor: 1, patch: 0 });
  });

  it('rejects text without a version number', () => {
    expect(() => parseServerVersion('MariaDB')).toThrow(/cannot read the server version "MariaDB"/);
  });
});

describe('binlogStatusStatement', () => {
  it('names the statement each server version still has', () => {
    expect(binlogStatusStatement(mysql80)).toBe('SHOW MASTER STATUS');
    expect(binlogStatusStatement(parseServerVersion('8.2.0'))).toBe('SHOW BINARY LOG STATUS');
    expect(binlogStatusStatement(mysql84)).toBe('SHOW BINARY LOG STATUS');
    expect(binlogStatusStatement(parseServerVersion('9.1.0'))).toBe('SHOW BINARY LOG STATUS');
    expect(binlogStatusStatement(mariadb)).toBe('SHOW BINLOG STATUS');
    expect(binlogStatusStatement(parseServerVersion('10.5.1-MariaDB'))).toBe('SHOW MASTER STATUS');
  });
});

describe('parseGtidState', () => {
  it('reads MariaDB domain-server-sequence lists', () => {
    expect(parseGtidState('0-1-42,1-2-18446744073709551615')).toEqual({
      kind: 'mariadb',
      gtids: [
        { domain: 0, server: 1, sequence: 42n },
        { domain: 1, server: 2, sequence: 18_446_744_073_709_551_615n },
      ],
    });
  });

  it('reads MySQL GTID sets with intervals, tags and line breaks', () => {
    expect(parseGtidState(`${UUID.toUpperCase()}:1-5:11:backup:1-3,\n${UUID.replace('3e', '4f')}:7`)).toEqual(
      {
        kind: 'mysql',
        sets: [
          {
            uuid: UUID,
            tag: null,
            intervals: [
              [1n, 5n],
              [11n, 11n],
            ],
          },
          { uuid: UUID, tag: 'backup', intervals: [[1n, 3n]] },
          { uuid: UUID.replace('3e', '4f'), tag: null, intervals: [[7n, 7n]] },
        ],
      },
    );
    expect(parseGtidState(`${UUID}:Tag_1:4`)).toEqual({
      kind: 'mysql',
      sets: [{ uuid: UUID, tag: 'tag_1', intervals: [[4n, 4n]] }],
    });
  });

  it('rejects malformed and mixed states, naming the value', () => {
    for (const bad of [
      '',
      '0-1',
      `${UUID}`,
      `${UUID}:5-2`,
      `${UUID}:0`,
      `${UUID}:1:tag`,
      `0-1-2,${UUID}:1`,
      '0-1-x',
    ])
      expect(() => parseGtidState(bad), bad).toThrow(/malformed GTID state/);
  });
});

describe('readBinlogPosition on MySQL', () => {
  it('reads SHOW MASTER STATUS on 8.0 and no GTID when gtid_mode is OFF', async () => {
    const { sql, pending } = scriptedSql(
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', [{ gtid_mode: 'OFF' }]],
      ['SHOW MASTER STATUS', [{ File: 'binlog.000007', Position: 157, Executed_Gtid_Set: '' }]],
    );

    await expect(readBinlogPosition(sql, mysql80)).resolves.toEqual({ file: 'binlog.000007', position: 157 });
    expect(pending).toEqual([]);
  });

  it('reads SHOW BINARY LOG STATUS on 8.4 with the executed GTID set, whitespace removed', async () => {
    const executed = `${UUID}:1-5:backup:1,\n${UUID.replace('3e', '4f')}:1-3`;
    const { sql } = scriptedSql(
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', [{ gtid_mode: 'ON' }]],
      ['SHOW BINARY LOG STATUS', [{ File: 'binlog.000002', Position: '4711', Executed_Gtid_Set: executed }]],
    );

    const position = await readBinlogPosition(sql, mysql84);

    expect(position).toEqual({
      file: 'binlog.000002',
      position: 4711,
      gtid: `${UUID}:1-5:backup:1,${UUID.replace('3e', '4f')}:1-3`,
    });
    expect(parseGtidState(position.gtid ?? '').kind).toBe('mysql');
  });

  it('falls back to @@gtid_executed when the status has no GTID column', async () => {
    const { sql } = scriptedSql(
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', [{ gtid_mode: 'ON' }]],
      ['SHOW MASTER STATUS', [{ File: 'binlog.000002', Position: 4 }]],
      ['SELECT @@GLOBAL.gtid_executed AS gtid', [{ gtid: `${UUID}:1-9` }]],
    );

    await expect(readBinlogPosition(sql, mysql80)).resolves.toMatchObject({ gtid: `${UUID}:1-9` });
  });

  it('throws when binary logging is off', async () => {
    const { sql } = scriptedSql(
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', [{ gtid_mode: 'OFF' }]],
      ['SHOW MASTER STATUS', []],
    );

    await expect(readBinlogPosition(sql, mysql80)).rejects.toThrow(/binary logging is off/);
  });
});

describe('readBinlogPosition on MariaDB', () => {
  it('reads the position again until no commit falls between it and the GTID', async () => {
    const { sql, pending } = scriptedSql(
      ['SHOW BINLOG STATUS', [{ File: 'mariadb-bin.000001', Position: 100 }]],
      ['SELECT @@GLOBAL.gtid_binlog_pos AS gtid', [{ gtid: '0-1-5' }]],
      ['SHOW BINLOG STATUS', [{ File: 'mariadb-bin.000001', Position: 200 }]],
      ['SELECT @@GLOBAL.gtid_binlog_pos AS gtid', [{ gtid: '0-1-6' }]],
      ['SHOW BINLOG STATUS', [{ File: 'mariadb-bin.000001', Position: 200 }]],
    );

    await expect(readBinlogPosition(sql, mariadb)).resolves.toEqual({
      file: 'mariadb-bin.000001',
      position: 200,
      gtid: '0-1-6',
    });
    expect(pending).toEqual([]);
  });
});

describe('binlogAvailable', () => {
  const logs = (): Step => [
    'SHOW BINARY LOGS',
    [
      { Log_name: 'binlog.000003', File_size: 900 },
      { Log_name: 'binlog.000004', File_size: 157 },
    ],
  ];

  it('is true while the file is listed and reaches the position', async () => {
    await expect(
      binlogAvailable(scriptedSql(logs()).sql, mysql84, { file: 'binlog.000003', position: 900 }),
    ).resolves.toBe(true);
  });

  it('is false once the file was purged or no longer reaches the position', async () => {
    await expect(
      binlogAvailable(scriptedSql(logs()).sql, mysql84, { file: 'binlog.000002', position: 4 }),
    ).resolves.toBe(false);
    await expect(
      binlogAvailable(scriptedSql(logs()).sql, mysql84, { file: 'binlog.000004', position: 158 }),
    ).resolves.toBe(false);
  });
});

describe('openConsistentSnapshot on MySQL', () => {
  const lockSteps = (): Step[] => [
    ['SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ', []],
    ['FLUSH TABLES WITH READ LOCK', []],
  ];

  it('starts the transaction and reads the position under FLUSH TABLES WITH READ LOCK', async () => {
    const { sql, statements, pending } = scriptedSql(
      ...lockSteps(),
      ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', []],
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', [{ gtid_mode: 'ON' }]],
      [
        'SHOW BINARY LOG STATUS',
        [{ File: 'binlog.000009', Position: 1234, Executed_Gtid_Set: `${UUID}:1-77` }],
      ],
      ['UNLOCK TABLES', []],
    );

    await expect(openConsistentSnapshot(sql, mysql84)).resolves.toEqual({
      file: 'binlog.000009',
      position: 1234,
      gtid: `${UUID}:1-77`,
    });
    expect(statements.at(-1)).toBe('UNLOCK TABLES');
    expect(pending).toEqual([]);
  });

  it('rolls back and unlocks tables when a step under the lock fails', async () => {
    const { sql, statements } = scriptedSql(
      ...lockSteps(),
      ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', []],
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', new Error('Lost connection to MySQL server during query')],
      ['ROLLBACK', []],
      ['UNLOCK TABLES', []],
    );

    await expect(openConsistentSnapshot(sql, mysql80)).rejects.toThrow(/Lost connection/);
    expect(statements.slice(-2)).toEqual(['ROLLBACK', 'UNLOCK TABLES']);
  });

  it('reports the failed step, not a failed UNLOCK TABLES after it', async () => {
    const { sql, statements } = scriptedSql(
      ...lockSteps(),
      ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', new Error('snapshot refused')],
      ['ROLLBACK', new Error('connection gone')],
      ['UNLOCK TABLES', new Error('connection gone')],
    );

    await expect(openConsistentSnapshot(sql, mysql80)).rejects.toThrow('snapshot refused');
    expect(statements.at(-1)).toBe('UNLOCK TABLES');
  });

  it('throws when UNLOCK TABLES fails after a successful snapshot, so the session is discarded', async () => {
    const { sql } = scriptedSql(
      ...lockSteps(),
      ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', []],
      ['SELECT @@GLOBAL.gtid_mode AS gtid_mode', [{ gtid_mode: 'OFF' }]],
      ['SHOW MASTER STATUS', [{ File: 'binlog.000009', Position: 1234 }]],
      ['UNLOCK TABLES', new Error('unlock failed')],
    );

    await expect(openConsistentSnapshot(sql, mysql80)).rejects.toThrow('unlock failed');
  });

  it('takes no lock it could leave behind when FLUSH TABLES WITH READ LOCK is refused', async () => {
    const refused = new Error(
      'Access denied; you need (at least one of) the RELOAD privilege(s) for this operation',
    );
    const { sql, pending } = scriptedSql(lockSteps()[0] as Step, ['FLUSH TABLES WITH READ LOCK', refused]);

    await expect(openConsistentSnapshot(sql, mysql80)).rejects.toThrow(/RELOAD/);
    expect(pending).toEqual([]);
  });
});

describe('authenticationHint', () => {
  it('explains caching_sha2_password full authentication without TLS or RSA key', () => {
    const hint = authenticationHint(
      "Authentication plugin 'caching_sha2_password' reported error: Authentication requires secure connection.",
      mysql80,
    );

    expect(hint).toContain("IDENTIFIED WITH caching_sha2_password BY '<password>'");
    expect(hint).toContain('mysql_native_password');
    expect(authenticationHint('error:1E08010C:DECODER routines::unsupported', mysql84)).not.toContain(
      'mysql_native_password',
    );
  });

  it('names the account and host of ER_ACCESS_DENIED_ERROR', () => {
    const hint = authenticationHint(
      "Access denied for user 'repl'@'10.0.0.7' (using password: YES)",
      mariadb,
    );

    expect(hint).toMatch(/^the server refused 'repl'@'10\.0\.0\.7': check the password/);
    expect(hint).toContain("CREATE USER 'repl'@'%' IDENTIFIED BY '<password>'");
  });

  it('gives the grant for a refused database and a supported plugin for an unknown one', () => {
    expect(authenticationHint("Access denied for user 'repl'@'%' to database 'shop'", mysql80)).toBe(
      "the account may not use database shop: GRANT SELECT ON `shop`.* TO 'repl'@'%'",
    );
    expect(
      authenticationHint('Server requests authentication using unknown plugin client_ed25519.', mariadb),
    ).toContain('IDENTIFIED VIA mysql_native_password');
    expect(authenticationHint('connect ECONNREFUSED 127.0.0.1:3306', mysql80)).toBeUndefined();
  });
});

describe('MariaDB binary log position and snapshot', () => {
  // A server of its own: positions are compared exactly, so no other test may write to its log.
  let server: MariadbServer;
  let admin: mysql.Connection;
  let sql: Sql;

  beforeAll(async () => {
    server = await startMariadb('flavor');
    admin = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: 'admin',
      password: 'admin-secret',
    });
    sql = sqlOver(admin);
    await sql('CREATE DATABASE flavor_test');
    await sql('CREATE TABLE flavor_test.items (id int PRIMARY KEY)');
    await sql('INSERT INTO flavor_test.items VALUES (1)');
  });

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  it('reads the version, the position and the GTID of the last commit', async () => {
    const [row] = await sql<{ version: string }>('SELECT VERSION() AS version');
    const flavor = parseServerVersion(row?.version ?? '');

    const position = await readBinlogPosition(sql, flavor);

    expect(flavor.kind).toBe('mariadb');
    expect(position.file).toMatch(/^mariadb-bin\.\d{6}$/);
    expect(parseGtidState(position.gtid ?? '')).toMatchObject({
      kind: 'mariadb',
      gtids: [{ domain: 0, server: 1 }],
    });
  });

  it('pins a snapshot at the position before a later commit, which stays invisible to it', async () => {
    const holder = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: 'admin',
      password: 'admin-secret',
    });
    try {
      const before = await readBinlogPosition(sql, mariadb);

      const snapshot = await openConsistentSnapshot(sqlOver(holder), mariadb);
      await sql('INSERT INTO flavor_test.items VALUES (2)');
      const after = await readBinlogPosition(sql, mariadb);
      const [seen] = await holder.query('SELECT id FROM flavor_test.items ORDER BY id');

      expect(snapshot).toEqual(before);
      expect(after.position).toBeGreaterThan(before.position);
      expect(after.gtid).not.toBe(before.gtid);
      expect(seen).toEqual([{ id: 1 }]);
    } finally {
      await holder.end();
    }
  });

  it('tells a listed binary log from a purged one', async () => {
    const old = await readBinlogPosition(sql, mariadb);
    await sql('FLUSH BINARY LOGS');
    const current = await readBinlogPosition(sql, mariadb);

    expect(await binlogAvailable(sql, mariadb, old)).toBe(true);
    // MariaDB keeps a file until its binlog checkpoint is written, shortly after the flush.
    await waitFor('the old binary log to be purged', async () => {
      await sql(`PURGE BINARY LOGS TO '${current.file}'`);
      return (await binlogAvailable(sql, mariadb, old)) ? undefined : true;
    });
    expect(await binlogAvailable(sql, mariadb, current)).toBe(true);
  });
});
