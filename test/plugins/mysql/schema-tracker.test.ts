import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SourceTable, TableRef } from '../../../core/plugin/index.js';
import { type Sql, sqlOver } from '../../../plugins/mysql/client/sql.js';
import { discoverTables } from '../../../plugins/mysql/discover.js';
import { SchemaTracker, type TrackedChange } from '../../../plugins/mysql/schema/schema-tracker.js';
import { column } from './source-column.js';

const ref = (name: string, database = 'shop'): TableRef => ({ database, schema: null, name });

/** A tracker over database `shop` that knows `shop.items (id int PK, name varchar(20))`. */
function shopTracker(): SchemaTracker {
  const items: SourceTable = {
    ref: ref('items'),
    columns: [column('id', 1, { nullable: false }), column('name', 2, { type: 'varchar', length: 20 })],
    primaryKey: ['id'],
  };
  return new SchemaTracker([items], 'shop');
}

const summary = (changes: TrackedChange[]) =>
  changes.map((change) =>
    change.kind === 'truncate'
      ? `truncate ${change.tables.map((table) => table.name).join(',')}`
      : `${change.action} ${change.from ? `${change.from.database}.${change.from.name}->` : ''}` +
        `${change.table.ref.database}.${change.table.ref.name}`,
  );

const columnNames = (table: SourceTable | undefined) => table?.columns.map((c) => `${c.position}:${c.name}`);

describe('SchemaTracker statements', () => {
  it('creates a table from CREATE TABLE in the default database', () => {
    const tracker = shopTracker();
    const changes = tracker.apply(
      'CREATE TABLE orders (id bigint unsigned PRIMARY KEY, total decimal(9,2))',
      'shop',
    );
    expect(summary(changes)).toEqual(['create shop.orders']);
    expect(tracker.get(ref('orders'))).toEqual({
      ref: ref('orders'),
      columns: [
        column('id', 1, { type: 'bigint unsigned', unsigned: true, nullable: false }),
        column('total', 2, { type: 'decimal', precision: 9, scale: 2 }),
      ],
      primaryKey: ['id'],
    });
  });

  it('ignores CREATE TABLE IF NOT EXISTS of a known table and replaces it on a plain CREATE', () => {
    const tracker = shopTracker();
    expect(tracker.apply('CREATE TABLE IF NOT EXISTS items (x int)', 'shop')).toEqual([]);
    expect(columnNames(tracker.get(ref('items')))).toEqual(['1:id', '2:name']);
    expect(summary(tracker.apply('CREATE TABLE items (x int)', 'shop'))).toEqual(['create shop.items']);
    expect(columnNames(tracker.get(ref('items')))).toEqual(['1:x']);
  });

  it('reports CREATE OR REPLACE of a known table as a drop then a create', () => {
    const tracker = shopTracker();
    expect(summary(tracker.apply('CREATE OR REPLACE TABLE items (x int)', 'shop'))).toEqual([
      'drop shop.items',
      'create shop.items',
    ]);
  });

  it('copies a known table for CREATE TABLE ... LIKE and ignores LIKE of an unknown one', () => {
    const tracker = shopTracker();
    expect(summary(tracker.apply('CREATE TABLE copy LIKE shop.items', 'shop'))).toEqual(['create shop.copy']);
    expect(tracker.get(ref('copy'))).toEqual({ ...tracker.get(ref('items')), ref: ref('copy') });
    expect(tracker.apply('CREATE TABLE copy2 LIKE unknown', 'shop')).toEqual([]);
    expect(tracker.get(ref('copy2'))).toBeUndefined();
  });

  it('alters a known table and renumbers positions', () => {
    const tracker = shopTracker();
    const changes = tracker.apply(
      'ALTER TABLE items ADD COLUMN a int FIRST, ADD b int AFTER id, DROP name, ADD PRIMARY KEY (id, a)',
      'shop',
    );
    expect(summary(changes)).toEqual(['alter shop.items']);
    const items = tracker.get(ref('items'));
    expect(columnNames(items)).toEqual(['1:a', '2:id', '3:b']);
    expect(items?.primaryKey).toEqual(['id', 'a']);
    expect(items?.columns[0]?.nullable).toBe(false);
  });

  it('returns nothing for ALTER of an unknown table or one with only index and engine clauses', () => {
    const tracker = shopTracker();
    expect(tracker.apply('ALTER TABLE unknown ADD c int', 'shop')).toEqual([]);
    expect(tracker.apply('ALTER TABLE items ADD INDEX (name), ENGINE=InnoDB', 'shop')).toEqual([]);
  });

  it('reports ALTER ... RENAME TO as an alter then a rename', () => {
    const tracker = shopTracker();
    const changes = tracker.apply('ALTER TABLE items ADD c int, RENAME TO goods', 'shop');
    expect(summary(changes)).toEqual(['alter shop.items', 'rename shop.items->shop.goods']);
    expect(changes[1]).toMatchObject({ from: ref('items'), table: { ref: ref('goods') } });
    expect(columnNames(tracker.get(ref('goods')))).toEqual(['1:id', '2:name', '3:c']);
    expect(tracker.get(ref('items'))).toBeUndefined();
    expect(summary(tracker.apply('ALTER TABLE goods RENAME items', 'shop'))).toEqual([
      'rename shop.goods->shop.items',
    ]);
  });

  it('resolves an unqualified ALTER ... RENAME TO name against the default database', () => {
    const tracker = shopTracker();
    expect(summary(tracker.apply('ALTER TABLE shop.items RENAME TO moved', 'elsewhere'))).toEqual([
      'drop shop.items',
    ]);
    expect(tracker.get(ref('moved', 'elsewhere'))).toBeDefined();
  });

  it('applies RENAME TABLE pairs in order, swaps included', () => {
    const tracker = shopTracker();
    tracker.apply('CREATE TABLE other (x int)', 'shop');
    const changes = tracker.apply('RENAME TABLE items TO tmp, other TO items, tmp TO other', 'shop');
    expect(summary(changes)).toEqual([
      'rename shop.items->shop.tmp',
      'rename shop.other->shop.items',
      'rename shop.tmp->shop.other',
    ]);
    expect(columnNames(tracker.get(ref('items')))).toEqual(['1:x']);
    expect(columnNames(tracker.get(ref('other')))).toEqual(['1:id', '2:name']);
  });

  it('reports a rename out of the database as a drop and one into it as a create', () => {
    const tracker = shopTracker();
    expect(tracker.apply('CREATE TABLE archive.old (y int)', 'shop')).toEqual([]);
    expect(
      summary(tracker.apply('RENAME TABLE items TO archive.items, archive.old TO shop.old', 'shop')),
    ).toEqual(['drop shop.items', 'create shop.old']);
    expect(columnNames(tracker.get(ref('old')))).toEqual(['1:y']);
    expect(tracker.apply('RENAME TABLE archive.unknown TO shop.unknown', 'shop')).toEqual([]);
  });

  it('follows an online schema change: copy, alter, swap by rename, drop', () => {
    const tracker = shopTracker();
    const steps = [
      'CREATE TABLE `_items_new` LIKE `items`',
      'ALTER TABLE `_items_new` ADD COLUMN price decimal(9,2) NOT NULL DEFAULT 0',
      'RENAME TABLE `items` TO `_items_old`, `_items_new` TO `items`',
      'DROP TABLE IF EXISTS `_items_old` /* generated by server */',
    ];
    expect(steps.map((step) => summary(tracker.apply(step, 'shop')))).toEqual([
      ['create shop._items_new'],
      ['alter shop._items_new'],
      ['rename shop.items->shop._items_old', 'rename shop._items_new->shop.items'],
      ['drop shop._items_old'],
    ]);
    expect(columnNames(tracker.get(ref('items')))).toEqual(['1:id', '2:name', '3:price']);
    expect(tracker.tables().map((table) => table.ref.name)).toEqual(['items']);
  });

  it('drops known tables with their last definition and skips unknown ones', () => {
    const tracker = shopTracker();
    const items = tracker.get(ref('items'));
    const changes = tracker.apply(
      'DROP TABLE IF EXISTS `items`, `missing` /* generated by server */',
      'shop',
    );
    expect(changes).toEqual([{ kind: 'schema', action: 'drop', table: items }]);
    expect(tracker.get(ref('items'))).toBeUndefined();
    expect(tracker.tables()).toEqual([]);
  });

  it('drops every table of a dropped database', () => {
    const tracker = shopTracker();
    tracker.apply('CREATE TABLE second (a int)', 'shop');
    expect(summary(tracker.apply('DROP DATABASE shop', null))).toEqual([
      'drop shop.items',
      'drop shop.second',
    ]);
  });

  it('reports TRUNCATE of a table of the database', () => {
    const tracker = shopTracker();
    expect(tracker.apply('TRUNCATE TABLE items', 'shop')).toEqual([
      { kind: 'truncate', tables: [ref('items')] },
    ]);
    expect(tracker.apply('TRUNCATE items', 'other')).toEqual([]);
  });

  it('returns nothing for other databases, unresolvable names and statements that are not DDL', () => {
    const tracker = shopTracker();
    expect(tracker.apply('CREATE TABLE t (a int)', 'other')).toEqual([]);
    expect(tracker.apply('DROP TABLE items', 'other')).toEqual([]);
    expect(tracker.apply('ALTER TABLE items ADD c int', null)).toEqual([]);
    expect(tracker.apply("INSERT INTO items VALUES (1, 'a')", 'shop')).toEqual([]);
    expect(tracker.apply('BEGIN', 'shop')).toEqual([]);
    expect(tracker.get(ref('items'))?.columns).toHaveLength(2);
  });

  it('throws for DDL on its tables it cannot understand and ignores it on other databases', () => {
    const tracker = shopTracker();
    expect(() => tracker.apply('ALTER TABLE items ADD COLUMN', 'shop')).toThrow(
      /ALTER TABLE items ADD COLUMN/,
    );
    tracker.apply('CREATE TABLE other.t (a int)', 'shop');
    expect(tracker.apply('ALTER TABLE t ADD COLUMN', 'other')).toEqual([]);
    expect(tracker.get(ref('t', 'other'))).toBeUndefined();
  });
});

describe('SchemaTracker replays', () => {
  it('replaces a column that ADD finds already there, in place', () => {
    const tracker = shopTracker();
    tracker.apply('ALTER TABLE items ADD id bigint NOT NULL', 'shop');
    expect(tracker.get(ref('items'))?.columns.map((c) => `${c.position}:${c.name}:${c.type}`)).toEqual([
      '1:id:bigint',
      '2:name:varchar',
    ]);
  });

  it('leaves a column that ADD IF NOT EXISTS finds already there', () => {
    const tracker = shopTracker();
    const before = tracker.get(ref('items'));
    expect(summary(tracker.apply('ALTER TABLE items ADD COLUMN IF NOT EXISTS name text', 'shop'))).toEqual([
      'alter shop.items',
    ]);
    expect(tracker.get(ref('items'))).toEqual(before);
  });

  it('ignores DROP, MODIFY and RENAME COLUMN of missing columns', () => {
    const tracker = shopTracker();
    const before = tracker.get(ref('items'));
    tracker.apply('ALTER TABLE items DROP gone, MODIFY gone int, RENAME COLUMN gone TO back', 'shop');
    expect(tracker.get(ref('items'))).toEqual(before);
  });

  it('applies CHANGE whose old name is gone to the column with the new name', () => {
    const tracker = shopTracker();
    tracker.apply('ALTER TABLE items CHANGE old_name name varchar(40)', 'shop');
    expect(tracker.get(ref('items'))?.columns[1]).toMatchObject({ name: 'name', length: 40 });
  });

  it('matches column names case-insensitively and keeps the primary key spelled as the column', () => {
    const tracker = shopTracker();
    tracker.apply('ALTER TABLE items CHANGE ID Id int, DROP PRIMARY KEY, ADD PRIMARY KEY (ID, NAME)', 'shop');
    expect(tracker.get(ref('items'))?.primaryKey).toEqual(['Id', 'name']);
  });
});

/** A database of its own in the shared MariaDB, with a session whose default database it is. */
interface ScratchDatabase extends AsyncDisposable {
  readonly name: string;
  readonly sql: Sql;
  run(statement: string): Promise<void>;
}

async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const session = await mysql.createConnection({ uri: inject('mariadbUrl'), multipleStatements: false });
  await session.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await session.query(`USE \`${name}\``);
  return {
    name,
    sql: sqlOver(session),
    async run(statement) {
      await session.query(statement);
    },
    async [Symbol.asyncDispose]() {
      await session.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await session.end();
    },
  };
}

/** Statements in the order they run; `{db}` is the test database, `{other}` a second one. */
const STATEMENTS = [
  `CREATE TABLE integers (id SERIAL, t tinyint, tu tinyint unsigned, s smallint, su smallint unsigned zerofill,
     m mediumint, mu mediumint unsigned, i int(11), iu int unsigned, b bigint, bu bigint unsigned, bo boolean,
     i1 int1, i8 int8 NOT NULL DEFAULT 0)`,
  `CREATE TABLE numbers (id int NOT NULL AUTO_INCREMENT, d decimal(65,30), d0 decimal, d5 dec(5),
     n numeric(7,2) unsigned, f float, f24 float(24), f25 float(25), f73 float(7,3), dbl double,
     dbl2 double(10,2), r real, dp double precision, PRIMARY KEY (id))`,
  `CREATE TABLE bits_and_time (b1 bit, b64 bit(64) DEFAULT b'0', y year, d date, t time, t6 time(6),
     dt datetime, dt6 datetime(6), ts timestamp NULL, ts0 timestamp,
     ts6 timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
     ts3 timestamp(3) NULL DEFAULT NULL)`,
  `CREATE TABLE strings (c char, c10 char(10) CHARACTER SET latin1, v varchar(255) COLLATE utf8mb4_bin NOT NULL
     DEFAULT '', nv national varchar(10), b binary, b16 binary(16), vb varbinary(20), tt tinytext, tx text,
     mt mediumtext, lt longtext, tb tinyblob, bl blob, mb mediumblob, lb longblob, t100 text(100),
     t100l text(100) CHARACTER SET latin1, b70 blob(70000), lv long varchar, vbin varchar(10) CHARACTER SET binary)`,
  `CREATE TABLE choices (e enum('a','b,c',')','it''s') NOT NULL DEFAULT 'a', s set('x','y','zz'), j json,
     j2 longtext CHECK (json_valid(j2)), g geometry, p point NOT NULL, ls linestring, pg polygon, mp multipoint,
     gc geometrycollection, u uuid, ip inet6)`,
  `CREATE TABLE \`create table test\` (\`my id\` int NOT NULL, \`my name\` varchar(50), \`a\`\`b\` int,
     CONSTRAINT \`pk\` PRIMARY KEY (\`my id\`, \`my name\`))`,
  `CREATE TABLE composite (a int, b varchar(10), c date, CONSTRAINT composite_pk PRIMARY KEY (c, a))
     ENGINE=InnoDB DEFAULT CHARSET=latin1`,
  'CREATE TABLE no_key (x int, y varchar(3), KEY (x), UNIQUE (y))',
  `CREATE TABLE \`generated\` (a int, v int AS (a * 2) VIRTUAL, s int GENERATED ALWAYS AS (a + 1) STORED,
     h int INVISIBLE, c int COMMENT 'positive, (really)' CHECK (c > 0))`,
  'ALTER TABLE no_key ADD COLUMN z bigint unsigned NOT NULL DEFAULT 0 FIRST, ADD w datetime(3) AFTER x',
  'ALTER TABLE no_key ADD (p decimal(9,4), q json), ADD INDEX (z)',
  'ALTER TABLE no_key MODIFY COLUMN y varchar(30) NOT NULL, CHANGE x x2 mediumint AFTER p',
  'ALTER TABLE no_key ADD PRIMARY KEY (z, w)',
  'ALTER TABLE no_key DROP PRIMARY KEY, DROP COLUMN q',
  'ALTER TABLE no_key RENAME COLUMN p TO price',
  'ALTER TABLE no_key ALTER COLUMN price SET DEFAULT 1.5, ALTER y DROP DEFAULT, ENGINE=InnoDB',
  'ALTER TABLE composite DROP PRIMARY KEY, ADD CONSTRAINT PRIMARY KEY (b), ADD COLUMN d int FIRST',
  'ALTER TABLE integers MODIFY id bigint unsigned NOT NULL AUTO_INCREMENT, ADD COLUMN (n1 int, n2 int)',
  'ALTER TABLE numbers CHANGE COLUMN id ident bigint NOT NULL AUTO_INCREMENT, DROP COLUMN dp',
  'ALTER TABLE strings DROP COLUMN lv, DROP COLUMN IF EXISTS nothing_here',
  'ALTER TABLE strings ADD COLUMN IF NOT EXISTS c char(5), MODIFY tx mediumtext COLLATE utf8mb4_unicode_ci',
  'ALTER TABLE strings MODIFY c10 char(20) NOT NULL FIRST',
  'CREATE TABLE copy LIKE strings',
  'RENAME TABLE copy TO copy2, `generated` TO generated2',
  'ALTER TABLE copy2 ADD extra int, RENAME TO copy3',
  'CREATE TABLE {other}.outside (a int PRIMARY KEY, b text)',
  'RENAME TABLE {other}.outside TO inside',
  'RENAME TABLE copy3 TO {other}.gone',
  'CREATE TABLE temp_drop (a int)',
  'DROP TABLE IF EXISTS temp_drop, never_existed',
  'CREATE OR REPLACE TABLE replaced (a int)',
  'CREATE OR REPLACE TABLE replaced (b int PRIMARY KEY)',
  'CREATE TABLE IF NOT EXISTS composite (zzz int)',
  'ALTER TABLE bits_and_time ADD id int AUTO_INCREMENT PRIMARY KEY FIRST',
  'TRUNCATE TABLE strings',
  "CREATE TABLE ctas (k int PRIMARY KEY, label varchar(10)) SELECT 1 AS k, 'x' AS label",
  'ALTER TABLE choices MODIFY j longtext, CHANGE j2 j3 json AFTER e',
  'CREATE TABLE /*!32312 IF NOT EXISTS*/ versioned (a int NOT NULL) /*!50100 PARTITION BY HASH (a) PARTITIONS 2 */',
  'CREATE TABLE drop_key (id int PRIMARY KEY, v int)',
  'ALTER TABLE drop_key DROP COLUMN id',
  'ALTER TABLE {db}.`create table test` ADD `new col` tinyint(1) DEFAULT 1 AFTER `my id`',
  'CREATE TABLE `dotted.name` (`x.y` int PRIMARY KEY, `naïve ✓` varchar(4), t text(100)) DEFAULT CHARSET latin1',
  'CREATE TABLE MixedCase (ID int PRIMARY KEY, Val int)',
  'ALTER TABLE MixedCase CHANGE id Id bigint, MODIFY VAL smallint, ALGORITHM=COPY, LOCK=SHARED',
  'CREATE TABLE paren_like (LIKE MixedCase)',
  'ALTER TABLE paren_like ADD COLUMN IF NOT EXISTS Val int, ADD COLUMN IF NOT EXISTS fresh int FIRST',
  'ALTER TABLE paren_like ADD CONSTRAINT fk FOREIGN KEY (Id) REFERENCES MixedCase (Id) ON DELETE CASCADE',
  'ALTER TABLE paren_like DROP FOREIGN KEY fk, ADD UNIQUE KEY (fresh), DROP COLUMN Val',
];

describe('SchemaTracker against MariaDB', () => {
  let database: ScratchDatabase;
  let other: ScratchDatabase;
  const statements = () =>
    STATEMENTS.map((statement) =>
      statement.replaceAll('{db}', database.name).replaceAll('{other}', other.name),
    );
  const byName = (tables: readonly SourceTable[]) =>
    [...tables].sort((a, b) => (a.ref.name < b.ref.name ? -1 : 1));

  let logStart: { file: string; position: number };

  beforeAll(async () => {
    database = await scratchDatabase('tracker');
    other = await scratchDatabase('tracker_other');
    const [status] = await database.sql<{ File: string; Position: number }>('SHOW MASTER STATUS');
    logStart = { file: status?.File ?? '', position: Number(status?.Position) };
  });

  afterAll(async () => {
    await database?.[Symbol.asyncDispose]();
    await other?.[Symbol.asyncDispose]();
  });

  it('describes every table exactly as discover does after each statement', async () => {
    const tracker = new SchemaTracker([], database.name);
    for (const statement of statements()) {
      await database.run(statement);
      tracker.apply(statement, database.name);
      const discovered = await discoverTables(database.sql, database.name, null);
      expect(byName(tracker.tables()), statement).toEqual(byName(discovered));
    }
    expect(tracker.tables().length).toBeGreaterThan(12);
  });

  it('describes every table as discover does when fed the statements the binary log holds', async () => {
    const logged = await database.sql<{ Event_type: string; Info: string }>(
      'SHOW BINLOG EVENTS IN ? FROM ?',
      [logStart.file, logStart.position],
    );
    const ours = new Set([database.name, other.name]);
    const queries = logged.flatMap((event) => {
      const match = /^use `((?:[^`]|``)*)`; ([\s\S]*)$/.exec(event.Info);
      const inDatabase = match?.[1]?.replaceAll('``', '`');
      return event.Event_type === 'Query' && match?.[2] && inDatabase && ours.has(inDatabase)
        ? [{ statement: match[2], inDatabase }]
        : [];
    });
    const tracker = new SchemaTracker([], database.name);
    for (const { statement, inDatabase } of queries) tracker.apply(statement, inDatabase);

    expect(queries.map((query) => query.statement)).toContain(
      'DROP TABLE IF EXISTS `temp_drop`,`never_existed` /* generated by server */',
    );
    expect(byName(tracker.tables())).toEqual(byName(await discoverTables(database.sql, database.name, null)));
  });

  it('reaches the current definitions again when the statements are replayed over them', async () => {
    const current = await discoverTables(database.sql, database.name, null);
    const all = statements();
    for (let from = 0; from < all.length; from += 1) {
      const tracker = new SchemaTracker(current, database.name);
      for (const statement of all.slice(from)) tracker.apply(statement, database.name);
      expect(byName(tracker.tables()), `replay from: ${all[from]}`).toEqual(byName(current));
    }
  });
});
