import { inject } from 'vitest';
import { createMysqlDatabase, mysqlConfig } from '../plugins/mysql/mysql-contract-source.js';
import { createTestDatabase } from '../support/test-database.js';
import {
  describeLargeTransaction,
  LARGE_TRANSACTION_ROWS,
  type LargeTransactionSource,
} from './large-transaction-scenario.js';

const SOURCE_LINE = `CONCAT_WS('|', id, amount, note, DATE_FORMAT(\`at\`, '%Y-%m-%d %H:%i:%s.%f'))`;
const TARGET_LINE = `concat_ws('|', id, amount, note, to_char("at", 'YYYY-MM-DD HH24:MI:SS.US'))`;

async function mysqlSource(): Promise<LargeTransactionSource> {
  const source = await createMysqlDatabase('bigsrc');
  const target = await createTestDatabase(inject('targetClusterUrl'), 'bigdst');
  return {
    targetUrl: target.url,
    async prepare() {
      await source.query(
        'CREATE TABLE big (id bigint PRIMARY KEY, amount decimal(14,2), note text, `at` datetime(6))',
      );
      return { type: 'mysql', ...mysqlConfig(source, {}), tables: [`${source.name}.big`] };
    },
    async commitOneTransaction() {
      await source.query(
        `INSERT INTO big SELECT seq, seq * 1.25, REPEAT(MD5(seq), 2), TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND
           FROM seq_1_to_${LARGE_TRANSACTION_ROWS}`,
      );
    },
    async sourceLines(from, to) {
      const rows = await source.query<{ line: string }>(
        `SELECT ${SOURCE_LINE} AS line FROM big WHERE id >= ? AND id < ?`,
        [from, to],
      );
      return rows.map((row) => row.line).sort();
    },
    async targetLines(from, to) {
      const { rows } = await target.query<{ line: string }>(
        `SELECT ${TARGET_LINE} AS line FROM "${source.name}".big WHERE id >= $1 AND id < $2`,
        [from, to],
      );
      return rows.map((row) => row.line).sort();
    },
    async [Symbol.asyncDispose]() {
      await source[Symbol.asyncDispose]();
      await target[Symbol.asyncDispose]();
    },
  };
}

describeLargeTransaction('a MariaDB source', mysqlSource);
