import { describe, expect, it } from 'vitest';
import { openOracledbSession } from '../../../plugins/oracle/client/oracledb-session.js';
import {
  ADD_LOGFILE,
  CURRENT_SCN,
  END_LOGMNR,
  MINED_ROWS,
  quotedTable,
  quoteIdent,
  SESSION_SETUP,
  START_LOGMNR,
} from '../../../plugins/oracle/client/sql.js';
import { ContinuationJoiner } from '../../../plugins/oracle/logminer/continuation-joiner.js';
import { logFiles, minedRow } from '../../../plugins/oracle/logminer.js';
import { describeSourcePluginContract } from '../../contract/index.js';
import { adminSession, endpointOf, oracleUrl, realOracleTarget } from './real-oracle-source.js';
import {
  assembleLobRows,
  expectRedoOfCase,
  LOB_CASE_BODY,
  readFixtures,
  writeFixtures,
} from './recorded-sql-redo.js';

const RECORDED_COLUMNS = `"ID" NUMBER(9) PRIMARY KEY, "N" NUMBER, "V" VARCHAR2(100), "D" DATE, "TS" TIMESTAMP(9),
  "TZ" TIMESTAMP(6) WITH TIME ZONE, "R" RAW(16), "BD" BINARY_DOUBLE, "YM" INTERVAL YEAR(2) TO MONTH,
  "DS" INTERVAL DAY(2) TO SECOND(6)`;

/**
 * Runs each fixture statement (one transaction each) on a fresh RECORDED table and mines their
 * SQL_REDO with the plugin's own statements, continuation rows joined, the schema written as `S`.
 */
async function mineFixtureStatements(
  url: URL,
): Promise<{ texts: string[]; lobRows: { op: number; sqlRedo: string }[]; banner: string }> {
  const fixtures = readFixtures();
  const admin = await adminSession(url);
  const schema = `TRIB_REC_${Date.now().toString(36).toUpperCase()}`;
  await admin.execute(
    `CREATE USER ${quoteIdent(schema)} IDENTIFIED BY "Rec${Date.now()}x" QUOTA UNLIMITED ON USERS`,
  );
  const miner = await openOracledbSession(endpointOf(url));
  try {
    for (const statement of SESSION_SETUP) await miner.execute(statement);
    const table = quotedTable(schema, 'RECORDED');
    await admin.execute(`CREATE TABLE ${table} (${RECORDED_COLUMNS})`);
    await admin.execute(`ALTER TABLE ${table} ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS`);
    await admin.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${quoteIdent(schema)}`);
    await admin.execute(fixtures.lobCase.table);
    await admin.execute('ALTER TABLE RECORDED_LOB ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS');
    const [start] = await miner.execute(CURRENT_SCN);
    for (const c of fixtures.cases) await admin.execute(c.statement);
    await admin.execute(fixtures.lobCase.statement);
    await admin.execute('ALTER SYSTEM SWITCH LOGFILE');
    const [end] = await miner.execute(CURRENT_SCN);
    for (const name of await logFiles(miner, String(start?.CURRENT_SCN)))
      await miner.execute(ADD_LOGFILE, { name });
    await miner.execute(START_LOGMNR, {
      startScn: String(start?.CURRENT_SCN),
      endScn: String(end?.CURRENT_SCN),
    });
    const joiner = new ContinuationJoiner();
    const texts: string[] = [];
    const lobRows: { op: number; sqlRedo: string }[] = [];
    try {
      for await (const batch of miner.query(MINED_ROWS, { owner: schema }, 500)) {
        for (const raw of batch) {
          const row = joiner.push(minedRow(raw));
          if (row === null) continue;
          const sqlRedo = (row.sqlRedo ?? '').replaceAll(`"${schema}".`, '"S".');
          if (row.tableName === 'RECORDED' && [1, 2, 3].includes(row.operationCode)) texts.push(sqlRedo);
          if (row.tableName === 'RECORDED_LOB' && [1, 3, 9, 10, 11].includes(row.operationCode))
            lobRows.push({ op: row.operationCode, sqlRedo });
        }
      }
    } finally {
      await miner.execute(END_LOGMNR).catch(() => undefined);
    }
    const [version] = await miner.execute('SELECT BANNER FROM V$VERSION WHERE ROWNUM = 1');
    return { texts, lobRows, banner: String(version?.BANNER) };
  } finally {
    await admin.execute(`DROP USER ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await Promise.all([miner.close(), admin.close()]);
  }
}

describe.skipIf(oracleUrl === undefined)(
  'against a real Oracle (skipped unless TEST_ORACLE_URL=oracle://system:password@host:1521/FREE?pdb=FREEPDB1 names an ARCHIVELOG database with minimal supplemental logging; see plugins/oracle/README.md)',
  () => {
    describeSourcePluginContract('oracle plugin contract (real server)', realOracleTarget, {
      dropCaptureLosesHistory: false,
      booleanColumns: false,
    });

    it(`mines the fixture statements into SQL_REDO that parses into the values they wrote, and a long CLOB's LOB operations that assemble into it${process.env.RECORD_FIXTURES === '1' ? ', and re-records the fixture file' : ''}`, async () => {
      const fixtures = readFixtures();
      const { texts, lobRows, banner } = await mineFixtureStatements(new URL(oracleUrl ?? ''));
      expect(texts).toHaveLength(fixtures.cases.length);
      expect(await assembleLobRows(lobRows)).toEqual([
        expect.objectContaining({ op: 'insert', after: { ID: 1, BODY: LOB_CASE_BODY } }),
      ]);
      for (const [index, c] of fixtures.cases.entries())
        expectRedoOfCase(c, texts[index] ?? '', fixtures.columns);
      if (process.env.RECORD_FIXTURES === '1')
        writeFixtures({
          ...fixtures,
          recordedFrom: banner,
          cases: fixtures.cases.map((c, index) => ({ ...c, sqlRedo: texts[index] ?? c.sqlRedo })),
          lobCase: { ...fixtures.lobCase, rows: lobRows },
        });
    }, 120_000);
  },
);
