import { inject } from 'vitest';
import { createMysqlDatabase, mysqlConfig } from '../plugins/mysql/mysql-contract-source.js';
import { createTestDatabase } from '../support/test-database.js';
import { type CrashSource, describeCrashRecovery } from './crash-scenario.js';

const ROWS = 200_000;

const SETUP = [
  `CREATE TABLE accounts (id bigint PRIMARY KEY, balance decimal(14,2) NOT NULL, note text, touched datetime(6))`,
  `INSERT INTO accounts SELECT seq, seq * 1.25, REPEAT(MD5(seq), 3), TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND
     FROM seq_1_to_${ROWS}`,
  `CREATE TABLE ledger (account bigint, amount decimal(14,2))`,
  `CREATE PROCEDURE churn(n INT, seed INT)
   BEGIN
     DECLARE i INT DEFAULT 1;
     DECLARE k BIGINT;
     START TRANSACTION;
     WHILE i <= n DO
       SET k = (i * 7919 + seed * 104729) % ${ROWS} + 1;
       CASE i % 5
         WHEN 0 THEN UPDATE accounts SET balance = balance + 1, note = CONCAT('u', i), touched = NOW(6) WHERE id = k;
         WHEN 1 THEN INSERT IGNORE INTO accounts VALUES (10000000 + seed * 10000 + i, i, 'new', NOW(6));
         WHEN 2 THEN DELETE FROM accounts WHERE id = k;
         WHEN 3 THEN UPDATE accounts SET id = id + 50000000 WHERE id = k;
         ELSE INSERT INTO ledger VALUES (k, i);
       END CASE;
       IF i % 40 = 0 THEN COMMIT; START TRANSACTION; END IF;
       SET i = i + 1;
     END WHILE;
     COMMIT;
   END`,
];

const SOURCE_LINES: Record<'accounts' | 'ledger', string> = {
  accounts: `SELECT CONCAT_WS('|', id, balance, note, DATE_FORMAT(touched, '%Y-%m-%d %H:%i:%s.%f')) AS line FROM accounts`,
  ledger: `SELECT CONCAT_WS('|', account, amount) AS line FROM ledger`,
};

const TARGET_LINES: Record<'accounts' | 'ledger', string> = {
  accounts: `concat_ws('|', id, balance, note, to_char(touched, 'YYYY-MM-DD HH24:MI:SS.US'))`,
  ledger: `concat_ws('|', account, amount)`,
};

async function mysqlCrashSource(): Promise<CrashSource> {
  const source = await createMysqlDatabase('crashsrc');
  const target = await createTestDatabase(inject('targetClusterUrl'), 'crashdst');
  return {
    accountRows: ROWS,
    targetUrl: target.url,
    async prepare() {
      for (const statement of SETUP) await source.query(statement);
      return {
        connector: {
          type: 'mysql',
          ...mysqlConfig(source, {}),
          tables: [`${source.name}.accounts`, `${source.name}.ledger`],
        },
      };
    },
    async churn(n, seed) {
      const session = await source.session();
      try {
        await session.query('CALL churn(?, ?)', [n, seed]);
      } finally {
        await session.end();
      }
    },
    async sourceRows(table) {
      const rows = await source.query<{ line: string }>(SOURCE_LINES[table]);
      return rows.map((row) => row.line).sort();
    },
    async targetRows(_url, table) {
      const { rows } = await target.query<{ line: string }>(
        `SELECT ${TARGET_LINES[table]} AS line FROM "${source.name}"."${table}"`,
      );
      return rows.map((row) => row.line).sort();
    },
    async [Symbol.asyncDispose]() {
      await source[Symbol.asyncDispose]();
      await target[Symbol.asyncDispose]();
    },
  };
}

describeCrashRecovery('a MySQL source (MariaDB)', mysqlCrashSource);
