import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Sql, sqlOver } from '../../../plugins/mysql/client/sql.js';
import { describeTable, discoverTables } from '../../../plugins/mysql/discover.js';
import { column } from './source-column.js';

describe('mysql discoverTables', () => {
  const suffix = randomBytes(4).toString('hex');
  const db = `discover_${suffix}`;
  const otherDb = `discover_other_${suffix}`;
  let session: mysql.Connection;
  let sql: Sql;

  beforeAll(async () => {
    session = await mysql.createConnection({ uri: inject('mariadbUrl'), multipleStatements: false });
    sql = sqlOver(session);
    const statements = [
      `CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`,
      `CREATE DATABASE \`${otherDb}\``,
      `CREATE TABLE \`${db}\`.orders (id bigint unsigned NOT NULL AUTO_INCREMENT, region char(2) NOT NULL,
         total decimal(12,2), placed datetime(3), flags bit(4), doc json, note varchar(40),
         PRIMARY KEY (region, id), KEY (id))`,
      `CREATE TABLE \`${db}\`.\`Order Items\` (\`Item Id\` int PRIMARY KEY, qty smallint unsigned zerofill)`,
      `CREATE TABLE \`${db}\`.\`order items\` (x int)`,
      `CREATE TABLE \`${db}\`.\`a.b\` (y double, z float(7,3))`,
      `CREATE TABLE \`${db}\`.\`\`\`quoted\`\`\` (\`j\`\`son\` longtext CHECK (json_valid(\`j\`\`son\`)))`,
      `CREATE VIEW \`${db}\`.order_view AS SELECT id FROM \`${db}\`.orders`,
      `CREATE TABLE \`${otherDb}\`.elsewhere (k int PRIMARY KEY)`,
    ];
    for (const statement of statements) await session.query(statement);
  });

  afterAll(async () => {
    await session?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await session?.query(`DROP DATABASE IF EXISTS \`${otherDb}\``);
    await session?.end();
  });

  it('lists every base table of the database for a null selection, without views or other databases', async () => {
    const tables = await discoverTables(sql, db, null);
    expect(tables.map((table) => table.ref.name).sort()).toEqual(
      ['Order Items', '`quoted`', 'a.b', 'order items', 'orders'].sort(),
    );
    expect(tables.every((table) => table.ref.database === db && table.ref.schema === null)).toBe(true);
  });

  it('describes columns in the shared vocabulary with the primary key in key order', async () => {
    const [orders] = await discoverTables(sql, db, [`${db}.orders`]);
    expect(orders).toEqual({
      ref: { database: db, schema: null, name: 'orders' },
      columns: [
        column('id', 1, { type: 'bigint unsigned', unsigned: true, nullable: false, autoIncrement: true }),
        column('region', 2, { type: 'char', length: 2, nullable: false }),
        column('total', 3, { type: 'decimal', precision: 12, scale: 2 }),
        column('placed', 4, { type: 'datetime', precision: 3 }),
        column('flags', 5, { type: 'bit', length: 4 }),
        column('doc', 6, { type: 'json' }),
        column('note', 7, { type: 'varchar', length: 40 }),
      ],
      primaryKey: ['region', 'id'],
    });
  });

  it('returns selected tables in selection order, matching whole names case-sensitively', async () => {
    const tables = await discoverTables(sql, db, [
      `${db}.order items`,
      `${db}.a.b`,
      `${db}.Order Items`,
      `${db}.ORDERS`,
      `${db}.missing`,
      `${db}.order_view`,
      `${db}.a.b`,
      `${otherDb}.elsewhere`,
    ]);
    expect(tables.map((table) => `${table.ref.database}.${table.ref.name}`)).toEqual([
      `${db}.order items`,
      `${db}.a.b`,
      `${db}.Order Items`,
      `${otherDb}.elsewhere`,
    ]);
    expect(tables[1]?.columns).toEqual([
      column('y', 1, { type: 'double' }),
      column('z', 2, { type: 'float' }),
    ]);
    expect(tables[2]?.columns[1]).toEqual(column('qty', 2, { type: 'smallint unsigned', unsigned: true }));
    expect(tables[0]?.primaryKey).toEqual([]);
  });

  it('recognises MariaDB JSON columns whose names hold backticks', async () => {
    const [quoted] = await discoverTables(sql, db, [`${db}.\`quoted\``]);
    expect(quoted?.columns).toEqual([column('j`son', 1, { type: 'json' })]);
  });

  it('returns nothing for an empty selection', async () => {
    expect(await discoverTables(sql, db, [])).toEqual([]);
  });

  it('describes one table by reference and nothing for views and missing tables', async () => {
    const items = await describeTable(sql, { database: db, schema: null, name: 'Order Items' });
    expect(items?.primaryKey).toEqual(['Item Id']);
    expect(items?.columns.map((c) => c.name)).toEqual(['Item Id', 'qty']);
    expect(await describeTable(sql, { database: db, schema: null, name: 'order_view' })).toBeUndefined();
    expect(await describeTable(sql, { database: db, schema: null, name: 'ORDERS' })).toBeUndefined();
  });
});
