import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../../plugins/mysql/schema/column-types.js';
import { columnSpec } from '../../../plugins/mysql/schema/ddl/ddl-column-spec.js';
import { DdlParseError, type DdlStatement, parseDdl } from '../../../plugins/mysql/schema/ddl/ddl-parser.js';
import { tokenize } from '../../../plugins/mysql/schema/ddl/ddl-tokenizer.js';

function parsed<K extends DdlStatement['kind']>(
  statement: string,
  kind: K,
): Extract<DdlStatement, { kind: K }> {
  const result = parseDdl(statement);
  expect(result?.kind).toBe(kind);
  return result as Extract<DdlStatement, { kind: K }>;
}

/** The ColumnSpec of the one column `CREATE TABLE t (<definition>)` declares. */
function spec(definition: string, charset = 'utf8mb4'): Omit<ColumnSpec, 'name' | 'position'> {
  const [column] = parsed(`CREATE TABLE t (${definition})`, 'create').columns;
  if (!column) throw new Error('no column');
  const { name: _name, position: _position, ...rest } = columnSpec(column, 1, charset);
  return rest;
}

const plain = {
  unsigned: false,
  charLength: null,
  numericPrecision: null,
  numericScale: null,
  datetimePrecision: null,
  nullable: true,
  autoIncrement: false,
  json: false,
};

describe('DDL tokenizer', () => {
  it('drops comments and keeps the content of executable comments', () => {
    const tokens = tokenize(
      "CREATE /* c */ TABLE -- note\n # hash\n /*!32312 IF NOT EXISTS*/ `a``b` /*M!100100 x */ 'it''s\\n'",
    );
    expect(tokens.map((token) => token.value)).toEqual([
      'CREATE',
      'TABLE',
      'IF',
      'NOT',
      'EXISTS',
      'a`b',
      'x',
      "it's\n",
    ]);
  });

  it('reads numbers, words starting with digits and symbols', () => {
    const tokens = tokenize('decimal(10,2) 1st 0x1F -5');
    expect(tokens.map((token) => [token.kind, token.value])).toEqual([
      ['word', 'decimal'],
      ['symbol', '('],
      ['number', '10'],
      ['symbol', ','],
      ['number', '2'],
      ['symbol', ')'],
      ['word', '1st'],
      ['word', '0x1F'],
      ['symbol', '-'],
      ['number', '5'],
    ]);
  });

  it('runs an unterminated string to the end instead of throwing', () => {
    expect(tokenize("SELECT 'abc").map((token) => token.value)).toEqual(['SELECT', 'abc']);
  });
});

describe('DDL parser statements', () => {
  it('returns null for statements that are not tracked DDL', () => {
    const others = [
      'BEGIN',
      'COMMIT',
      'SAVEPOINT s1',
      "INSERT INTO t VALUES (1, 'CREATE TABLE x (a int)')",
      'UPDATE t SET a = 1',
      'CREATE INDEX i ON t (a)',
      'CREATE DATABASE d',
      'CREATE OR REPLACE VIEW v AS SELECT 1',
      'CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN END',
      'CREATE TEMPORARY TABLE tmp (a int)',
      'DROP TEMPORARY TABLE IF EXISTS tmp',
      'DROP VIEW v',
      'DROP INDEX i ON t',
      "GRANT SELECT ON *.* TO 'u'@'%'",
      'ALTER DATABASE d CHARACTER SET utf8mb4',
      'ALTER USER u IDENTIFIED BY "x"',
      'RENAME USER a TO b',
      'FLUSH TABLES',
      '',
      "unbalanced ' ( quote",
    ];
    for (const statement of others) expect(parseDdl(statement), statement).toBeNull();
  });

  it('reads CREATE TABLE columns, an inline primary key and table options', () => {
    const create = parsed(
      'CREATE TABLE IF NOT EXISTS `shop`.`create table test` (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, ' +
        'name varchar(20), KEY k (name), UNIQUE KEY u (name), FOREIGN KEY (id) REFERENCES o (id), ' +
        'CHECK (id > 0), FULLTEXT (name)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT = "x"',
      'create',
    );
    expect(create.table).toEqual({ database: 'shop', name: 'create table test' });
    expect(create.ifNotExists).toBe(true);
    expect(create.columns.map((column) => column.name)).toEqual(['id', 'name']);
    expect(create.primaryKey).toEqual(['id']);
    expect(create.charset).toBe('latin1');
  });

  it('reads a table-level PRIMARY KEY and a named CONSTRAINT PRIMARY KEY in key order', () => {
    expect(
      parsed('CREATE TABLE t (a int, b int, PRIMARY KEY USING BTREE (b, a))', 'create').primaryKey,
    ).toEqual(['b', 'a']);
    const named = parsed(
      'CREATE TABLE t (a int, b text, CONSTRAINT `pk` PRIMARY KEY (b(10) DESC, `a`))',
      'create',
    );
    expect(named.primaryKey).toEqual(['b', 'a']);
    expect(parsed('create table t (a int, constraint primary key (a))', 'create').primaryKey).toEqual(['a']);
  });

  it('reads CREATE TABLE ... LIKE with and without parentheses', () => {
    expect(parsed('CREATE TABLE t2 LIKE db.t1', 'create-like').like).toEqual({ database: 'db', name: 't1' });
    expect(parsed('CREATE TABLE t2 (LIKE t1)', 'create-like').like).toEqual({ database: null, name: 't1' });
  });

  it('lists only the declared columns of CREATE TABLE ... SELECT', () => {
    expect(parsed('CREATE TABLE t AS SELECT a, b FROM s', 'create').columns).toEqual([]);
    const listed = parsed('CREATE TABLE t (c int) ENGINE=InnoDB IGNORE SELECT a, b FROM s', 'create');
    expect(listed.columns.map((column) => column.name)).toEqual(['c']);
    expect(parsed('CREATE TABLE t (SELECT 1 AS a)', 'create').columns).toEqual([]);
  });

  it('marks CREATE OR REPLACE', () => {
    expect(parsed('CREATE OR REPLACE TABLE t (a int)', 'create').orReplace).toBe(true);
  });

  it('reads DROP TABLE lists, with IF EXISTS and the server comment', () => {
    expect(parsed('DROP TABLE IF EXISTS `a`, db.`b c` /* generated by server */', 'drop').tables).toEqual([
      { database: null, name: 'a' },
      { database: 'db', name: 'b c' },
    ]);
    expect(parsed('drop tables x cascade', 'drop').tables).toEqual([{ database: null, name: 'x' }]);
    expect(parsed('DROP DATABASE IF EXISTS `d`', 'drop-database').database).toBe('d');
  });

  it('reads TRUNCATE with and without TABLE', () => {
    expect(parsed('TRUNCATE TABLE db.t', 'truncate').table).toEqual({ database: 'db', name: 't' });
    expect(parsed('truncate `t`', 'truncate').table).toEqual({ database: null, name: 't' });
  });

  it('reads RENAME TABLE pairs in order', () => {
    expect(parsed('RENAME TABLE a TO b, db.c TO `other`.d', 'rename').renames).toEqual([
      { from: { database: null, name: 'a' }, to: { database: null, name: 'b' } },
      { from: { database: 'db', name: 'c' }, to: { database: 'other', name: 'd' } },
    ]);
    expect(parsed('RENAME TABLE IF EXISTS a NOWAIT TO b', 'rename').renames).toHaveLength(1);
  });

  it('throws a DdlParseError naming the statement when tracked DDL cannot be understood', () => {
    const broken = [
      'CREATE TABLE t (a int',
      'ALTER TABLE t ADD COLUMN',
      'ALTER TABLE',
      'RENAME TABLE a b',
      'DROP TABLE',
    ];
    for (const statement of broken) {
      expect(() => parseDdl(statement), statement).toThrow(DdlParseError);
      expect(() => parseDdl(statement)).toThrow(statement);
    }
  });

  it('reports the table names read before the parser gave up', () => {
    try {
      parseDdl('ALTER TABLE other.t ADD COLUMN x');
      expect.unreachable();
    } catch (error) {
      expect((error as DdlParseError).tables).toEqual([{ database: 'other', name: 't' }]);
    }
  });
});

describe('DDL parser ALTER TABLE', () => {
  const operations = (statement: string) => parsed(statement, 'alter').operations;

  it('reads ADD COLUMN with placement and ADD of a parenthesised list', () => {
    const ops = operations(
      'ALTER TABLE t ADD COLUMN a int FIRST, ADD b int AFTER `a`, ADD COLUMN IF NOT EXISTS c int, ADD (d int, e int, INDEX (d))',
    );
    expect(
      ops.map((op) => [op.op, 'column' in op ? op.column.name : '', 'placement' in op ? op.placement : '']),
    ).toEqual([
      ['add-column', 'a', 'first'],
      ['add-column', 'b', { after: 'a' }],
      ['add-column', 'c', null],
      ['add-column', 'd', null],
      ['add-column', 'e', null],
    ]);
  });

  it('reads DROP, MODIFY, CHANGE and RENAME COLUMN', () => {
    expect(
      operations(
        'ALTER TABLE t DROP COLUMN IF EXISTS a, DROP b, MODIFY COLUMN c bigint FIRST, CHANGE d e text AFTER c, ' +
          'CHANGE COLUMN f f int, RENAME COLUMN g TO h',
      ).map((op) => ({ ...op, column: 'column' in op ? op.column.name : undefined })),
    ).toEqual([
      { op: 'drop-column', name: 'a', column: undefined },
      { op: 'drop-column', name: 'b', column: undefined },
      { op: 'change-column', from: 'c', column: 'c', placement: 'first' },
      { op: 'change-column', from: 'd', column: 'e', placement: { after: 'c' } },
      { op: 'change-column', from: 'f', column: 'f', placement: null },
      { op: 'rename-column', from: 'g', to: 'h', column: undefined },
    ]);
  });

  it('reads primary key changes and table renames', () => {
    expect(
      operations('ALTER TABLE t DROP PRIMARY KEY, ADD CONSTRAINT pk PRIMARY KEY (b, a), RENAME TO db.u'),
    ).toEqual([
      { op: 'drop-primary-key' },
      { op: 'add-primary-key', columns: ['b', 'a'] },
      { op: 'rename-table', to: { database: 'db', name: 'u' } },
    ]);
    expect(operations('ALTER TABLE t ADD PRIMARY KEY (a), RENAME AS u')).toEqual([
      { op: 'add-primary-key', columns: ['a'] },
      { op: 'rename-table', to: { database: null, name: 'u' } },
    ]);
  });

  it('skips index, default, engine, partition and other clauses', () => {
    const ops = operations(
      'ALTER ONLINE IGNORE TABLE IF EXISTS t NOWAIT ADD INDEX i (a), ADD UNIQUE KEY (b), ADD CONSTRAINT fk FOREIGN KEY (a) ' +
        'REFERENCES o (id) ON DELETE SET NULL, ADD FULLTEXT (c), ALTER COLUMN a SET DEFAULT 5, ALTER b DROP DEFAULT, ' +
        'DROP INDEX i, DROP KEY k, DROP FOREIGN KEY fk, DROP CONSTRAINT c1, DROP CHECK c2, RENAME INDEX a TO b, ' +
        'ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE, FORCE, ADD PARTITION (PARTITION p1 VALUES LESS THAN (10)), ' +
        'CONVERT TO CHARACTER SET utf8mb4, ORDER BY a, ADD COLUMN z int',
    );
    expect(ops.map((op) => op.op)).toEqual(['add-column']);
  });

  it('takes unreserved words such as period and system for column names', () => {
    expect(
      operations(
        'ALTER TABLE t ADD period int, DROP system, ADD PERIOD FOR p (a, b), DROP SYSTEM VERSIONING',
      ),
    ).toEqual([expect.objectContaining({ op: 'add-column' }), { op: 'drop-column', name: 'system' }]);
  });

  it('gives an ALTER with only ignored clauses no operations', () => {
    expect(operations('ALTER TABLE t ENGINE=InnoDB')).toEqual([]);
    expect(operations('ALTER TABLE t')).toEqual([]);
  });

  it('marks a column added with PRIMARY KEY', () => {
    const [op] = operations('ALTER TABLE t ADD id int auto_increment primary key FIRST');
    expect(op?.op === 'add-column' && op.column.primaryKey && op.placement).toBe('first');
  });
});

describe('DDL parser column definitions', () => {
  it('resolves integer synonyms, signedness and zerofill', () => {
    expect(spec('a INTEGER')).toEqual({ ...plain, dataType: 'int', numericPrecision: 10, numericScale: 0 });
    expect(spec('a int(11) unsigned')).toMatchObject({ dataType: 'int', unsigned: true });
    expect(spec('a mediumint zerofill')).toMatchObject({
      dataType: 'mediumint',
      unsigned: true,
      numericPrecision: 8,
    });
    expect(spec('a mediumint')).toMatchObject({ numericPrecision: 7 });
    expect(spec('a bigint')).toMatchObject({ numericPrecision: 19 });
    expect(spec('a bigint unsigned')).toMatchObject({ numericPrecision: 20 });
    expect(spec('a BOOL')).toMatchObject({ dataType: 'tinyint', numericPrecision: 3 });
    expect(spec('a int1')).toMatchObject({ dataType: 'tinyint' });
    expect(spec('a int8')).toMatchObject({ dataType: 'bigint' });
  });

  it('makes SERIAL a NOT NULL auto-increment unsigned bigint', () => {
    expect(spec('a SERIAL')).toEqual({
      ...plain,
      dataType: 'bigint',
      unsigned: true,
      numericPrecision: 20,
      numericScale: 0,
      nullable: false,
      autoIncrement: true,
    });
    expect(spec('a int SERIAL DEFAULT VALUE')).toMatchObject({ nullable: false, autoIncrement: true });
  });

  it('sizes decimal and floating-point types as MariaDB stores them', () => {
    expect(spec('a decimal')).toMatchObject({ dataType: 'decimal', numericPrecision: 10, numericScale: 0 });
    expect(spec('a DEC(5)')).toMatchObject({ dataType: 'decimal', numericPrecision: 5, numericScale: 0 });
    expect(spec('a numeric(65,30)')).toMatchObject({ numericPrecision: 65, numericScale: 30 });
    expect(spec('a fixed(3,1) unsigned')).toMatchObject({ dataType: 'decimal', unsigned: true });
    expect(spec('a float')).toMatchObject({ dataType: 'float', numericPrecision: 12, numericScale: null });
    expect(spec('a float(24)')).toMatchObject({ dataType: 'float' });
    expect(spec('a float(25)')).toMatchObject({ dataType: 'double', numericPrecision: 22 });
    expect(spec('a float(7,3)')).toMatchObject({ dataType: 'float', numericPrecision: 7, numericScale: 3 });
    expect(spec('a REAL')).toMatchObject({ dataType: 'double', numericPrecision: 22 });
    expect(spec('a double precision')).toMatchObject({ dataType: 'double' });
    expect(spec('a double(10,2)')).toMatchObject({
      dataType: 'double',
      numericPrecision: 10,
      numericScale: 2,
    });
  });

  it('defaults bit, char, binary and temporal sizes', () => {
    expect(spec('a bit')).toMatchObject({ dataType: 'bit', numericPrecision: 1 });
    expect(spec('a bit(64)')).toMatchObject({ numericPrecision: 64 });
    expect(spec('a char')).toMatchObject({ dataType: 'char', charLength: 1 });
    expect(spec('a binary')).toMatchObject({ dataType: 'binary', charLength: 1 });
    expect(spec('a national varchar(10)')).toMatchObject({ dataType: 'varchar', charLength: 10 });
    expect(spec('a character varying(7)')).toMatchObject({ dataType: 'varchar', charLength: 7 });
    expect(spec('a time')).toMatchObject({ dataType: 'time', datetimePrecision: 0 });
    expect(spec('a datetime(6)')).toMatchObject({ dataType: 'datetime', datetimePrecision: 6 });
    expect(spec('a timestamp(3)')).toMatchObject({
      dataType: 'timestamp',
      datetimePrecision: 3,
      nullable: true,
    });
    expect(spec('a year(4)')).toEqual({ ...plain, dataType: 'year' });
  });

  it('sizes text and blob types, TEXT(n) by the character set', () => {
    expect(spec('a text')).toMatchObject({ dataType: 'text', charLength: 65_535 });
    expect(spec('a text(100)')).toMatchObject({ dataType: 'text' });
    expect(spec('a text(100)', 'latin1')).toMatchObject({ dataType: 'tinytext', charLength: 255 });
    expect(spec('a text(100) character set latin1')).toMatchObject({ dataType: 'tinytext' });
    expect(spec('a text(100) collate latin1_bin')).toMatchObject({ dataType: 'tinytext' });
    expect(spec('a blob(70000)')).toMatchObject({ dataType: 'mediumblob', charLength: 16_777_215 });
    expect(spec('a long varchar')).toMatchObject({ dataType: 'mediumtext' });
    expect(spec('a long')).toMatchObject({ dataType: 'mediumtext' });
    expect(spec('a long varbinary')).toMatchObject({ dataType: 'mediumblob' });
    expect(spec('a varchar(10) character set binary')).toMatchObject({
      dataType: 'varbinary',
      charLength: 10,
    });
    expect(spec('a tinytext charset binary')).toMatchObject({ dataType: 'tinyblob' });
  });

  it('reads enum and set values containing commas, quotes and parentheses', () => {
    const [column] = parsed(`CREATE TABLE t (e enum('a','b,c',')','it''s') NOT NULL)`, 'create').columns;
    expect(column?.args).toEqual(['a', 'b,c', ')', "it's"]);
    expect(spec(`e enum('a','b,c',')') NOT NULL`)).toEqual({
      ...plain,
      dataType: 'enum',
      charLength: 3,
      nullable: false,
    });
    expect(spec(`s set('a', "bb", 'ccc')`)).toMatchObject({ dataType: 'set', charLength: 8 });
  });

  it('treats JSON and a CHECK (json_valid(column)) as JSON', () => {
    expect(spec('j json')).toEqual({ ...plain, dataType: 'longtext', charLength: 4_294_967_295, json: true });
    expect(spec('j longtext check (json_valid(`J`))')).toMatchObject({ dataType: 'longtext', json: true });
    expect(spec('j longtext constraint c check (json_valid(j))')).toMatchObject({ json: true });
    expect(spec('j longtext check (json_valid(other))')).toMatchObject({ json: false });
    expect(spec('j longtext check (json_valid(j) and j <> "")')).toMatchObject({ json: false });
  });

  it('reads nullability, defaults and the other attributes without losing the column end', () => {
    const create = parsed(
      "CREATE TABLE t (a varchar(5) DEFAULT 'x,)' NOT NULL COMMENT 'a, (b' COLLATE utf8mb4_bin, " +
        'b timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), ' +
        'c int DEFAULT (1 + 1) CHECK (c > 0) INVISIBLE, d int GENERATED ALWAYS AS (c * 2) VIRTUAL, ' +
        "e int AS (c + 1) PERSISTENT, f bit(7) DEFAULT b'1', g int DEFAULT -1 NULL UNIQUE KEY, " +
        'h int REFERENCES o (id) ON DELETE SET NULL ON UPDATE NO ACTION, i int KEY, ' +
        "j char(3) CHARACTER SET 'latin1' BINARY, k datetime DEFAULT NOW(), l int DEFAULT NULL)",
      'create',
    );
    expect(create.columns.map(({ name, dataType, nullable }) => [name, dataType, nullable])).toEqual([
      ['a', 'varchar', false],
      ['b', 'timestamp', false],
      ['c', 'int', true],
      ['d', 'int', true],
      ['e', 'int', true],
      ['f', 'bit', true],
      ['g', 'int', true],
      ['h', 'int', true],
      ['i', 'int', false],
      ['j', 'char', true],
      ['k', 'datetime', true],
      ['l', 'int', true],
    ]);
    expect(create.primaryKey).toEqual(['i']);
  });

  it('makes AUTO_INCREMENT and PRIMARY KEY columns NOT NULL', () => {
    expect(spec('a int auto_increment')).toMatchObject({ nullable: false, autoIncrement: true });
    expect(spec('a int primary key')).toMatchObject({ nullable: false, autoIncrement: false });
  });

  it('reads the CREATE TABLE that MySQL 8 writes, versioned comments included', () => {
    const create = parsed(
      'CREATE TABLE `geo` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `doc` json DEFAULT NULL,\n' +
        '  `g` geometry NOT NULL /*!80003 SRID 4326 */,\n  `h` int DEFAULT NULL /*!80023 INVISIBLE */,\n' +
        "  `c` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci DEFAULT 'x',\n" +
        '  PRIMARY KEY (`id`),\n  SPATIAL KEY `g` (`g`),\n  CONSTRAINT `chk` CHECK ((`id` > 0)) /*!80016 NOT ENFORCED */\n' +
        ') ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
      'create',
    );
    expect(create.columns.map(({ name, dataType, nullable }) => [name, dataType, nullable])).toEqual([
      ['id', 'int', false],
      ['doc', 'json', true],
      ['g', 'geometry', false],
      ['h', 'int', true],
      ['c', 'varchar', true],
    ]);
    expect(create.primaryKey).toEqual(['id']);
    expect(create.charset).toBe('utf8mb4');
  });

  it('keeps names with spaces and doubled backticks', () => {
    const create = parsed('CREATE TABLE `create table test` (`my col` int, `a``b` int)', 'create');
    expect(create.table.name).toBe('create table test');
    expect(create.columns.map((column) => column.name)).toEqual(['my col', 'a`b']);
  });
});
