import { describe, expect, inject, it } from 'vitest';
import type { TableRef } from '../../core/plugin/index.js';
import { type MysqlContractSource, mysqlContractTarget } from '../plugins/mysql/mysql-contract-source.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

const CDC = 'CHANGE_DATA_CAPTURE';

async function open() {
  const harness = await EngineHarness.open(inject('targetClusterUrl'), mysqlContractTarget);
  const database = (harness.source as MysqlContractSource).database;
  const ref = (name: string): TableRef => ({ database: database.name, schema: null, name });
  const columns = async (table: string) =>
    (
      await harness.target.query<{ name: string; type: string; nullable: boolean }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
           FROM pg_attribute a WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text))
            AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [database.name, table],
      )
    ).rows;
  const primaryKey = async (table: string) =>
    (
      await harness.target.query<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
          WHERE i.indrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND i.indisprimary
          ORDER BY array_position(i.indkey, a.attnum)`,
        [database.name, table],
      )
    ).rows.map((row) => row.name);
  const exists = async (table: string) => (await columns(table)).length > 0;
  return { harness, sql: (text: string) => database.query(text), ref, columns, primaryKey, exists };
}

describe('MySQL DDL replication during CDC', () => {
  it('creates tables (names with spaces, a key declared as a constraint, no key) and streams their rows', async () => {
    const { harness: h, sql, ref, columns, primaryKey } = await open();
    await using _h = h;
    await sql('CREATE TABLE seed (id int PRIMARY KEY)');
    await h.addConnector('ddl1');
    await h.lifecycle('startConnector', 'ddl1');
    await h.waitForState('ddl1', CDC, 'POLLING');

    await sql('CREATE TABLE `create table test` (id int NOT NULL, name varchar(10), PRIMARY KEY (id))');
    await sql("INSERT INTO `create table test` VALUES (1, 'spaces')");
    await sql(
      'CREATE TABLE pk_separate (a int NOT NULL, b varchar(5) NOT NULL, v text, CONSTRAINT pk_ab PRIMARY KEY (a, b))',
    );
    await sql("INSERT INTO pk_separate VALUES (1, 'x', 'one'), (2, 'y', 'two')");
    await sql('CREATE TABLE nopk (x int, y text)');
    await sql("INSERT INTO nopk VALUES (1, 'a'), (2, 'b'), (2, 'b')");
    await sql("UPDATE nopk SET y = 'c' WHERE x = 1");
    await sql('DELETE FROM nopk WHERE x = 2 LIMIT 1');

    await h.waitForRows(ref('create table test'), [{ id: 1, name: 'spaces' }]);
    await h.waitForRows(
      ref('pk_separate'),
      [
        { a: 1, b: 'x', v: 'one' },
        { a: 2, b: 'y', v: 'two' },
      ],
      '*',
      'a',
    );
    await h.waitForRows(
      ref('nopk'),
      [
        { x: 1, y: 'c' },
        { x: 2, y: 'b' },
      ],
      '*',
      'x',
    );
    expect(await primaryKey('pk_separate')).toEqual(['a', 'b']);
    expect(await primaryKey('nopk')).toEqual([]);
    expect(await columns('create table test')).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'character varying(10)', nullable: true },
    ]);
  });

  it('applies ADD, MODIFY, CHANGE, DROP COLUMN and ADD PRIMARY KEY before the rows that need them', async () => {
    const { harness: h, sql, ref, columns, primaryKey } = await open();
    await using _h = h;
    await sql('CREATE TABLE orders (id int PRIMARY KEY, note varchar(20))');
    await sql("INSERT INTO orders VALUES (1, 'first')");
    await sql('CREATE TABLE keyless (x int NOT NULL, y text)');
    await sql("INSERT INTO keyless VALUES (1, 'a')");
    await h.addConnector('ddl2');
    await h.lifecycle('startConnector', 'ddl2');
    await h.waitForState('ddl2', CDC, 'POLLING');

    await sql('ALTER TABLE orders ADD COLUMN qty int unsigned NOT NULL DEFAULT 0');
    await sql("INSERT INTO orders VALUES (2, 'second', 4294967295)");
    await sql('ALTER TABLE orders MODIFY note varchar(100)');
    await sql(`INSERT INTO orders VALUES (3, '${'n'.repeat(60)}', 3)`);
    await sql('ALTER TABLE orders CHANGE note remark text');
    await sql("INSERT INTO orders VALUES (4, 'renamed', 4)");
    await sql('ALTER TABLE orders DROP COLUMN qty');
    await sql("INSERT INTO orders VALUES (5, 'dropped')");
    await sql('ALTER TABLE keyless ADD PRIMARY KEY (x)');
    await sql("UPDATE keyless SET y = 'b' WHERE x = 1");

    await h.waitForRows(ref('orders'), [
      { id: 1, remark: 'first' },
      { id: 2, remark: 'second' },
      { id: 3, remark: 'n'.repeat(60) },
      { id: 4, remark: 'renamed' },
      { id: 5, remark: 'dropped' },
    ]);
    expect(await columns('orders')).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'remark', type: 'text', nullable: true },
    ]);
    const { connector } = await h.graphql<{ connector: { attributes: Record<string, unknown>[] } }>(
      `{ connector(name: "ddl2") { attributes { sourceTable position sourceColumn destinationColumn sourceType destinationType } } }`,
    );
    expect(connector.attributes.filter((a) => a.sourceTable === `${ref('orders').database}.orders`)).toEqual([
      {
        sourceTable: expect.any(String),
        position: 1,
        sourceColumn: 'id',
        destinationColumn: 'id',
        sourceType: 'int',
        destinationType: 'integer',
      },
      {
        sourceTable: expect.any(String),
        position: 2,
        sourceColumn: 'remark',
        destinationColumn: 'remark',
        sourceType: 'text',
        destinationType: 'text',
      },
      {
        sourceTable: expect.any(String),
        position: 3,
        sourceColumn: 'qty',
        destinationColumn: 'qty',
        sourceType: 'int unsigned',
        destinationType: '........pg.dropped.3........',
      },
    ]);
    await h.waitForRows(ref('keyless'), [{ x: 1, y: 'b' }], '*', 'x');
    expect(await primaryKey('keyless')).toEqual(['x']);
  });

  it('applies TRUNCATE, RENAME TABLE and DROP TABLE, and multi-statement transactions as one', async () => {
    const { harness: h, sql, ref, exists } = await open();
    await using _h = h;
    await sql('CREATE TABLE a (id int PRIMARY KEY, v text)');
    await sql('CREATE TABLE b (id int PRIMARY KEY, v text)');
    await sql('CREATE TABLE gone (id int PRIMARY KEY)');
    await sql("INSERT INTO a VALUES (1, 'a1'), (2, 'a2')");
    await sql("INSERT INTO b VALUES (1, 'b1')");
    await sql('INSERT INTO gone VALUES (1)');
    await h.addConnector('ddl3');
    await h.lifecycle('startConnector', 'ddl3');
    await h.waitForState('ddl3', CDC, 'POLLING');

    await sql('TRUNCATE TABLE a');
    await sql("INSERT INTO a VALUES (3, 'a3')");
    await sql('RENAME TABLE b TO `b renamed`');
    await sql("INSERT INTO `b renamed` VALUES (2, 'b2')");
    await sql('DROP TABLE gone');
    const session = await (h.source as MysqlContractSource).database.session();
    await session.beginTransaction();
    await session.query("INSERT INTO a VALUES (4, 'a4'), (5, 'a5')");
    await session.query("UPDATE a SET v = 'a3!' WHERE id = 3");
    await session.query('DELETE FROM a WHERE id = 4');
    await session.query("UPDATE `b renamed` SET id = 10, v = 'b10' WHERE id = 1");
    await session.commit();
    await session.end();

    await h.waitForRows(ref('a'), [
      { id: 3, v: 'a3!' },
      { id: 5, v: 'a5' },
    ]);
    await h.waitForRows(ref('b renamed'), [
      { id: 2, v: 'b2' },
      { id: 10, v: 'b10' },
    ]);
    await waitFor('gone to be dropped', async () => ((await exists('gone')) ? undefined : true));
    expect(await exists('b')).toBe(false);
    const view = await h.view('ddl3');
    expect(view.stats.ddls).toBe(2);
    expect(view.stats.truncates).toBe(1);
  });
});
