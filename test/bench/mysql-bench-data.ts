import type { BacklogPlan } from './bench-data.js';
import { type MysqlBenchSource, mysqlRows } from './mysql-source.js';

/**
 * The MySQL twin of `public.bench` (bench-data.ts): the same columns with MySQL types — bigint key,
 * int, varchar(16), decimal(12,2), ~100-byte text, datetime(6), bit(1) for the flag and a JSON
 * document (MariaDB: LONGTEXT with a json_valid CHECK).
 */
export const MYSQL_BENCH_TABLE_DDL = `CREATE TABLE bench (
  id bigint NOT NULL PRIMARY KEY,
  n int NOT NULL,
  code varchar(16) NOT NULL,
  amount decimal(12,2) NOT NULL,
  note text NOT NULL,
  created_at datetime(6) NOT NULL,
  flag bit(1) NOT NULL,
  doc json NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** The deterministic values of row `g`, as bench-data.ts's (plus microseconds in created_at). */
function rowValues(g: string): string {
  return [
    g,
    `(${g} * 7919) % 1000003`,
    `CONCAT('c', LPAD(LOWER(HEX(${g})), 15, '0'))`,
    `((${g} * 104729) % 1000000000) / 100`,
    `RPAD(REPEAT(MD5(${g}), 4), 100, ' ')`,
    `TIMESTAMP'2024-01-01 00:00:00' + INTERVAL (${g} * 1000000 + (${g} * 7919) % 1000000) MICROSECOND`,
    `${g} % 3 = 0`,
    `JSON_OBJECT('id', ${g}, 'tag', CONCAT('tag-', ${g} % 100), 'score', ${g} % 1000, ` +
      `'even', JSON_EXTRACT(IF(${g} % 2 = 0, 'true', 'false'), '$'))`,
  ].join(', ');
}

/** Rows inserted per statement while loading (MariaDB's seq_<from>_to_<to> tables generate them). */
const LOAD_CHUNK = 250_000;

/**
 * Creates and fills `bench` with rows 1..rows from MariaDB's sequence engine, without writing the
 * load to the binary log (the connector starts from a snapshot), then creates the backlog procedure.
 */
export async function loadMysqlBenchTable(source: MysqlBenchSource, rows: number): Promise<void> {
  await source.pool.query(MYSQL_BENCH_TABLE_DDL);
  const session = await source.pool.getConnection();
  try {
    await session.query('SET SESSION sql_log_bin = 0');
    for (let from = 1; from <= rows; from += LOAD_CHUNK) {
      const to = Math.min(rows, from + LOAD_CHUNK - 1);
      await session.query(`INSERT INTO bench SELECT ${rowValues('seq')} FROM seq_${from}_to_${to}`);
    }
    await session.query('SET SESSION sql_log_bin = 1');
  } finally {
    session.release();
  }
  await source.pool.query('ANALYZE TABLE bench');
  await source.pool.query(BACKLOG_PROCEDURE);
}

/** Data and index size of `bench` in MB, as InnoDB reports it. */
export async function mysqlTableMb(source: MysqlBenchSource): Promise<number> {
  const [row] = await mysqlRows<{ bytes: string }>(
    source,
    `SELECT DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'bench'`,
  );
  return Number(row?.bytes ?? 0) / 1024 / 1024;
}

/**
 * bench-data.ts's backlog procedure in MySQL: change i is, by i % 7, 0-3 an UPDATE of a lower-half
 * row, 4-5 an INSERT of a new row, 6 a DELETE of an upper-half row; a COMMIT after every
 * `p_per_tx` changes, so the whole backlog is one CALL.
 */
const BACKLOG_PROCEDURE = `
CREATE PROCEDURE bench_backlog(
  p_changes INT, p_per_tx INT, p_insert_from BIGINT, p_delete_from BIGINT, p_half BIGINT, p_salt INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE k INT;
  DECLARE g BIGINT;
  START TRANSACTION;
  WHILE i < p_changes DO
    SET k = i % 7;
    IF k < 4 THEN
      SET g = 1 + (((i DIV 7) * 4 + k) * 37 + p_salt) % p_half;
      UPDATE bench
         SET n = n + 1,
             amount = amount + 1,
             note = RPAD(CONCAT('u', p_salt, '-', i, '-', MD5(i)), 100, '.'),
             doc = JSON_SET(doc, '$.score', i)
       WHERE id = g;
    ELSEIF k < 6 THEN
      SET g = p_insert_from + (i DIV 7) * 2 + (k - 4);
      INSERT INTO bench VALUES (${rowValues('g')});
    ELSE
      SET g = p_delete_from - i DIV 7;
      DELETE FROM bench WHERE id = g;
    END IF;
    IF (i + 1) % p_per_tx = 0 THEN
      COMMIT;
      START TRANSACTION;
    END IF;
    SET i = i + 1;
  END WHILE;
  COMMIT;
END`;

/** Runs the backlog at the source: one CALL, one COMMIT per `perTx` changes. */
export async function generateMysqlBacklog(source: MysqlBenchSource, plan: BacklogPlan): Promise<void> {
  await source.pool.query('CALL bench_backlog(?, ?, ?, ?, ?, ?)', [
    plan.changes,
    plan.perTx,
    plan.insertFrom,
    plan.deleteFrom,
    plan.half,
    plan.salt,
  ]);
}
