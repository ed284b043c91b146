import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Sql, sqlOver } from '../../../plugins/mysql/client/sql.js';
import { discoverTables } from '../../../plugins/mysql/discover.js';
import { estimateRows } from '../../../plugins/mysql/snapshot/row-estimates.js';

describe('mysql estimateRows', () => {
  const db = `estimates_${randomBytes(4).toString('hex')}`;
  let session: mysql.Connection;
  let sql: Sql;

  beforeAll(async () => {
    session = await mysql.createConnection({ uri: inject('mariadbUrl') });
    sql = sqlOver(session);
    const statements = [
      `CREATE DATABASE \`${db}\``,
      `CREATE TABLE \`${db}\`.\`Items\` (id int PRIMARY KEY) ENGINE=InnoDB`,
      `CREATE TABLE \`${db}\`.\`items\` (id int PRIMARY KEY) ENGINE=InnoDB`,
      `CREATE TABLE \`${db}\`.\`gone\` (id int PRIMARY KEY) ENGINE=InnoDB`,
      `INSERT INTO \`${db}\`.\`Items\` VALUES (1), (2), (3)`,
      `INSERT INTO \`${db}\`.\`items\` VALUES (1), (2), (3), (4), (5), (6), (7)`,
      `ANALYZE TABLE \`${db}\`.\`Items\`, \`${db}\`.\`items\``,
    ];
    for (const statement of statements) await session.query(statement);
  });

  afterAll(async () => {
    await session?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await session?.end();
  });

  it('reads information_schema.TABLES.TABLE_ROWS per table, names matched exactly, in the order asked', async () => {
    const tables = await discoverTables(sql, db, [`${db}.items`, `${db}.Items`]);
    expect(tables.map((table) => table.ref.name)).toEqual(['items', 'Items']);

    expect(await estimateRows(sql, tables)).toEqual([7, 3]);
  });

  it('answers null for a table that no longer exists', async () => {
    const [gone, items] = await discoverTables(sql, db, [`${db}.gone`, `${db}.Items`]);
    await session.query(`DROP TABLE \`${db}\`.\`gone\``);

    expect(
      await estimateRows(
        sql,
        [gone, items].flatMap((table) => table ?? []),
      ),
    ).toEqual([null, 3]);
  });
});
