import { randomBytes, randomInt } from 'node:crypto';
import type { ColumnSchema } from '@vlasky/zongji';
import ZongJi from '@vlasky/zongji';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Row, SourceColumn } from '../../../core/plugin/index.js';
import { toPgText } from '../../../core/plugin/pg-text.js';
import {
  adaptTableMap,
  BINLOG_CONNECTION_OPTIONS,
  binlogDecoders,
  columnDecoders,
  SNAPSHOT_CONNECTION_OPTIONS,
  SNAPSHOT_SESSION_STATEMENTS,
  snapshotTypeCast,
  toFloatDigits,
  type ValueDecoder,
} from '../../../plugins/mysql/client/value-codec.js';
import { sourceColumn } from '../../../plugins/mysql/schema/column-types.js';
import { defaultTargetType } from '../../../plugins/mysql/type-defaults.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const ZOO = `
  id int PRIMARY KEY,
  ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, miu mediumint unsigned,
  i int, iu int unsigned, bi bigint, biu bigint unsigned,
  d65 decimal(65,30), du decimal(10,2) unsigned, d0 decimal(5,0),
  f float, db double,
  b1 bit(1), b12 bit(12), b64 bit(64),
  y year, d date, t0 time, t6 time(6), dt0 datetime, dt6 datetime(6), ts0 timestamp NULL, ts6 timestamp(6) NULL,
  c char(10), vc varchar(100), tt tinytext, tx text, mt mediumtext, lt longtext,
  latin varchar(20) CHARACTER SET latin1,
  bn binary(4), vb varbinary(10), tb tinyblob, bb blob, mb mediumblob, lb longblob,
  e enum('small','c,d','it''s'), s set('x','y','z'),
  j json, g geometry, p point, ls linestring, poly polygon`;

const LONG_TEXT = 'ü'.repeat(40_000);
const MEDIUM_BLOB = Buffer.from(Array.from({ length: 70_000 }, (_, n) => n % 256));
const DOC = '{"a": {"b": [1, 2.5, null, true]}, "big": 18446744073709551615123, "s": "😀"}';

// Timestamp literals are written in the inserting session's zone, +05:30.
const INSERT_ZOO = [
  `INSERT INTO zoo VALUES (1,
    127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
    '99999999999999999999999999999999999.999999999999999999999999999999', 99999999.99, 99999,
    3.4028234663852886e38, 1.7976931348623157e308,
    b'1', b'101100111000', b'1111111111111111111111111111111111111111111111111111111111111111',
    2155, '9999-12-31', '23:59:59', '23:59:59.999999', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999999',
    '2038-01-19 08:44:07', '2038-01-19 08:44:07.999999',
    'abc  ', '😀 naïve ☃', 'tiny 😀', 'text', 'medium', ?, 'café €',
    x'00ff', x'000100', x'00', x'ff00ff', ?, x'00ff',
    'c,d', 'x,z', ?,
    ST_GeomFromText('POINT(1 2)', 4326), POINT(1.5, -2.5), ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)'),
    ST_GeomFromText('POLYGON((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2, 1 1))', 3857))`,
  `INSERT INTO zoo VALUES (2,
    -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
    '-99999999999999999999999999999999999.999999999999999999999999999999', 0, -99999,
    -1.17549435e-38, -2.2250738585072014e-308,
    b'0', b'000000000001', b'1000000000000000000000000000000000000000000000000000000000000001',
    1901, '1000-01-01', '-12:00:00', '-12:00:00.5', '1000-01-01 00:00:00', '1000-01-01 00:00:00.000001',
    '1970-01-01 05:30:01', '1970-01-01 05:30:01.000001',
    '', '', '', '', '', '', '',
    x'', x'', x'', x'', x'', x'',
    'it''s', '', '"just a string"',
    ST_GeomFromText('MULTIPOINT(0 0, 1 1)'), POINT(0, 0), NULL, NULL)`,
  'INSERT INTO zoo (id) VALUES (3)',
];

const EXPECTED_ZOO: readonly Row[] = [
  {
    id: 1,
    ti: 127,
    tiu: '255',
    si: 32767,
    siu: '65535',
    mi: 8388607,
    miu: '16777215',
    i: 2147483647,
    iu: '4294967295',
    bi: '9223372036854775807',
    biu: '18446744073709551615',
    d65: '99999999999999999999999999999999999.999999999999999999999999999999',
    du: '99999999.99',
    d0: '99999',
    f: 3.40282e38,
    db: 1.7976931348623157e308,
    b1: true,
    b12: '101100111000',
    b64: '1'.repeat(64),
    y: 2155,
    d: '9999-12-31',
    t0: '23:59:59',
    t6: '23:59:59.999999',
    dt0: '9999-12-31 23:59:59',
    dt6: '9999-12-31 23:59:59.999999',
    ts0: '2038-01-19 03:14:07+00',
    ts6: '2038-01-19 03:14:07.999999+00',
    c: 'abc',
    vc: '😀 naïve ☃',
    tt: 'tiny 😀',
    tx: 'text',
    mt: 'medium',
    lt: LONG_TEXT,
    latin: 'café €',
    bn: Buffer.from('00ff0000', 'hex'),
    vb: Buffer.from('000100', 'hex'),
    tb: Buffer.from('00', 'hex'),
    bb: Buffer.from('ff00ff', 'hex'),
    mb: MEDIUM_BLOB,
    lb: Buffer.from('00ff', 'hex'),
    e: 'c,d',
    s: 'x,z',
    j: DOC,
    g: `{"wkb":"${wkbPoint(1, 2)}","srid":4326}`,
    p: `{"wkb":"${wkbPoint(1.5, -2.5)}","srid":0}`,
    // ls and poly: filled in from the server's ST_AsBinary in the test
  },
  {
    id: 2,
    ti: -128,
    tiu: '0',
    si: -32768,
    siu: '0',
    mi: -8388608,
    miu: '0',
    i: -2147483648,
    iu: '0',
    bi: '-9223372036854775808',
    biu: '0',
    d65: '-99999999999999999999999999999999999.999999999999999999999999999999',
    du: '0.00',
    d0: '-99999',
    f: -1.17549e-38,
    db: -2.2250738585072014e-308,
    b1: false,
    b12: '000000000001',
    b64: `1${'0'.repeat(62)}1`,
    y: 1901,
    d: '1000-01-01',
    t0: '-12:00:00',
    t6: '-12:00:00.500000',
    dt0: '1000-01-01 00:00:00',
    dt6: '1000-01-01 00:00:00.000001',
    ts0: '1970-01-01 00:00:01+00',
    ts6: '1970-01-01 00:00:01.000001+00',
    c: '',
    vc: '',
    tt: '',
    tx: '',
    mt: '',
    lt: '',
    latin: '',
    bn: Buffer.alloc(4),
    vb: Buffer.alloc(0),
    tb: Buffer.alloc(0),
    bb: Buffer.alloc(0),
    mb: Buffer.alloc(0),
    lb: Buffer.alloc(0),
    e: "it's",
    s: '',
    j: '"just a string"',
    p: `{"wkb":"${wkbPoint(0, 0)}","srid":0}`,
    ls: null,
    poly: null,
  },
];

const ZEROS = `id int PRIMARY KEY, d date NULL, dn date NOT NULL, dt datetime(6) NULL, dtn datetime NOT NULL,
  ts timestamp(6) NULL, tsn timestamp NOT NULL DEFAULT '0000-00-00 00:00:00', e enum('small', 'large'), y year`;

const INSERT_ZEROS = `INSERT INTO zeros VALUES
  (1, '0000-00-00', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',
   '0000-00-00 00:00:00', 'bogus', 0),
  (2, '2020-00-15', '2020-02-00', '2020-00-00 10:00:00.5', '2024-02-29 12:00:00', '2024-02-29 12:00:00.25',
   '2024-02-29 05:30:00', 'small', 2000)`;

const EXPECTED_ZEROS: readonly Row[] = [
  {
    id: 1,
    d: null,
    dn: '1970-01-01',
    dt: null,
    dtn: '1970-01-01 00:00:00',
    ts: null,
    tsn: '1970-01-01 00:00:00+00',
    e: '',
    y: 0,
  },
  {
    id: 2,
    d: null,
    dn: '1970-01-01',
    dt: null,
    dtn: '2024-02-29 12:00:00',
    ts: '2024-02-29 06:30:00.250000+00',
    tsn: '2024-02-29 00:00:00+00',
    e: 'small',
    y: 2000,
  },
];

const TIMES = 'id int PRIMARY KEY, t0 time, t3 time(3), t6 time(6)';

const TIME_ROWS: readonly [number, string, string, string][] = [
  [1, '838:59:59', '838:59:59.000', '838:59:59.000000'],
  [2, '-838:59:59', '-838:59:59.999', '-838:59:59.999999'],
  [3, '-12:00:00', '-12:00:00.500', '-12:00:00.500000'],
  [4, '-00:00:01', '-01:00:00.000', '-00:00:00.000001'],
  [5, '-100:00:00', '-10:10:00.000', '-01:00:00.000000'],
  [6, '00:00:00', '00:00:00.000', '00:00:00.000000'],
];

const FLOATS = 'id int PRIMARY KEY, f float, db double';

/** [id, value inserted, float expected, double expected] */
const FLOAT_ROWS: readonly [number, string, number, number][] = [
  [1, '0.1', 0.1, 0.1],
  [2, '1234565', 1234560, 1234565],
  [3, '1234575', 1234580, 1234575],
  [4, '123456.5', 123456, 123456.5],
  [5, '16777216', 16777200, 16777216],
  [6, '1.4e-45', 1.4013e-45, 1.4e-45],
  [7, '-0e0', 0, 0],
  [8, '0.3333333333333333', 0.333333, 0.3333333333333333],
  [9, '123456789012345678', 1.23457e17, 123456789012345680],
  [10, '4.9e-324', 0, 5e-324],
];

let server: mysql.Connection;
let database: string;
let pg: TestDatabase;
let binlog: BinlogReader;
let savedTz: string | undefined;
const columnsOf = new Map<string, SourceColumn[]>();

const columnsFor = (table: string): SourceColumn[] => columnsOf.get(table) ?? [];

beforeAll(async () => {
  // Neither Node's zone nor the inserting session's may show in the values.
  savedTz = process.env.TZ;
  process.env.TZ = 'Asia/Kathmandu';
  database = `values_${randomBytes(5).toString('hex')}`;
  server = await mysql.createConnection({ uri: inject('mariadbUrl'), multipleStatements: true });
  await server.query(`CREATE DATABASE ${database}`);
  await server.query(`USE ${database}`);
  await server.query(`CREATE TABLE zoo (${ZOO}) DEFAULT CHARSET utf8mb4; CREATE TABLE times (${TIMES});
    CREATE TABLE floats (${FLOATS}); SET sql_mode = ''; CREATE TABLE zeros (${ZEROS}); SET sql_mode = DEFAULT`);
  binlog = await BinlogReader.start(database);
  await server.query("SET time_zone = '+05:30'");
  await server.query(INSERT_ZOO[0] as string, [LONG_TEXT, MEDIUM_BLOB, DOC]);
  for (const statement of INSERT_ZOO.slice(1)) await server.query(statement);
  await server.query(`SET sql_mode = ''; ${INSERT_ZEROS}; SET sql_mode = DEFAULT`);
  for (const row of TIME_ROWS) await server.query('INSERT INTO times VALUES (?, ?, ?, ?)', row);
  for (const [id, value] of FLOAT_ROWS)
    await server.query(`INSERT INTO floats VALUES (${id}, ${value}, ${value})`);
  for (const table of ['zoo', 'zeros', 'times', 'floats']) columnsOf.set(table, await describeTable(table));
  pg = await createTestDatabase(inject('targetClusterUrl'), 'mysql_values');
});

afterAll(async () => {
  await binlog?.stop();
  await server?.query(`DROP DATABASE IF EXISTS ${database}`);
  await server?.end();
  await pg?.[Symbol.asyncDispose]();
  process.env.TZ = savedTz;
  if (savedTz === undefined) delete process.env.TZ;
});

describe('mysql value normalisation', () => {
  it('reads every type of a snapshot as the expected SourceValue', async () => {
    const expected = await withServerGeometry(columnsFor('zoo'));
    expect(await snapshot('zoo')).toEqual(expected);
  });

  it('reads every type from the binary log as the same SourceValue', async () => {
    const expected = await withServerGeometry(columnsFor('zoo'));
    expect(await binlog.rows('zoo', expected.length)).toEqual(expected);
  });

  it('replaces zero dates with null, or with the epoch in NOT NULL columns', async () => {
    expect(await snapshot('zeros')).toEqual(EXPECTED_ZEROS);
    expect(await binlog.rows('zeros', EXPECTED_ZEROS.length)).toEqual(EXPECTED_ZEROS);
  });

  it('passes negative and out-of-day times as MySQL prints them, for PostgreSQL to refuse', async () => {
    const expected = TIME_ROWS.map(([id, t0, t3, t6]) => ({ id, t0, t3, t6 }));
    expect(await snapshot('times')).toEqual(expected);
    expect(await binlog.rows('times', expected.length)).toEqual(expected);
    await expect(pg.query('SELECT $1::time(6)', ['838:59:59.000000'])).rejects.toThrow(/out of range/);
  });

  it('rounds floats to the six digits MariaDB prints and keeps doubles exact', async () => {
    const expected = FLOAT_ROWS.map(([id, , f, db]) => ({ id, f, db }));
    expect(await snapshot('floats')).toEqual(expected);
    expect(await binlog.rows('floats', expected.length)).toEqual(expected);
  });

  it('stores each value unchanged in its default PostgreSQL type', async () => {
    for (const table of ['zoo', 'zeros', 'floats']) {
      // Row 2 of zoo holds negative times, which PostgreSQL refuses.
      const rows = (await snapshot(table)).filter((row) => table !== 'zoo' || row.id !== 2);
      const stored = await roundTrip(table, rows);
      expect(stored).toEqual(rows.map((row) => expectedText(columnsFor(table), row)));
    }
    const { rows: doc } = await pg.query(
      `SELECT j #>> '{big}' AS big, j = $1::jsonb AS same FROM zoo WHERE id = 1`,
      [DOC],
    );
    expect(doc).toEqual([{ big: '18446744073709551615123', same: true }]);
  });
});

describe('mysql value decoders', () => {
  const column = (name: string, type: string, fields: Partial<SourceColumn> = {}): SourceColumn => ({
    name,
    position: 1,
    type,
    nullable: true,
    ...fields,
  });

  it('rounds float ties to even as MariaDB does', () => {
    expect([1234565, 1234575, 123456.5, -1234565, 0.1, -0].map(toFloatDigits)).toEqual([
      1234560, 1234580, 123456, -1234560, 0.1, 0,
    ]);
  });

  it('repairs the carry ZongJi loses in negative whole-second times', () => {
    const [decode] = binlogDecoders([column('t', 'time')]);
    const values = ['-11:63:64', '-00:63:64.000', '-11:99:100', '-12:00:05', '-838:59:59', '12:00:00'];
    expect(values.map((value) => decode?.(value))).toEqual([
      '-12:00:00',
      '-01:00:00.000',
      '-12:00:00',
      '-12:00:05',
      '-838:59:59',
      '12:00:00',
    ]);
  });

  it('moves timestamps ZongJi wraps into 1901 past 2038', () => {
    const [decode] = binlogDecoders([column('ts', 'timestamp', { precision: 6 })]);
    expect(decode?.('1901-12-13 20:45:52.000001')).toBe('2038-01-19 03:14:08.000001+00');
  });

  it('refuses geometry ZongJi has already parsed', () => {
    const [decode] = binlogDecoders([column('g', 'point')]);
    expect(() => decode?.({ x: 1, y: 2 })).toThrow(/adaptTableMap/);
  });

  it('reads enum and set labels that ZongJi would split at commas', () => {
    const schema = (name: string, definition: string): ColumnSchema => ({
      COLUMN_NAME: name,
      COLUMN_TYPE: definition,
      COLLATION_NAME: null,
      CHARACTER_SET_NAME: null,
      COLUMN_COMMENT: '',
    });
    const entry = {
      parentSchema: 'db',
      tableName: 't',
      columnSchemas: [schema('e', "enum('a,b','it''s')"), schema('s', "set('x','y')")],
    };
    adaptTableMap(entry);
    expect(entry.columnSchemas.map((column) => [column.ENUM_VALUES, column.SET_VALUES])).toEqual([
      [['a,b', "it's"], undefined],
      [undefined, ['x', 'y']],
    ]);
  });
});

/** A binary-log reader started at the server's current position, collecting inserted rows per table. */
class BinlogReader {
  private readonly inserted = new Map<string, Record<string, unknown>[]>();
  private stopped: Promise<unknown> | null = null;

  private constructor(private readonly zongji: ZongJi) {
    zongji.on('binlog', (event) => {
      const { tableMap, tableId, rows } = event as unknown as {
        tableMap: ZongJi['tableMap'];
        tableId: number;
        rows?: Record<string, unknown>[];
      };
      if (event.getEventName() === 'tablemap') adaptTableMap(tableMap[tableId]);
      if (event.getEventName() !== 'writerows' || !rows) return;
      const table = tableMap[tableId]?.tableName ?? '';
      this.inserted.set(table, [...(this.inserted.get(table) ?? []), ...rows]);
    });
  }

  static async start(schema: string): Promise<BinlogReader> {
    const [[status]] = (await server.query('SHOW MASTER STATUS')) as unknown as [
      { File: string; Position: number }[],
    ];
    if (!status) throw new Error('the binary log is off');
    const zongji = new ZongJi({ uri: inject('mariadbUrl'), ...BINLOG_CONNECTION_OPTIONS });
    const reader = new BinlogReader(zongji);
    await new Promise<void>((resolve, reject) => {
      zongji.once('ready', resolve);
      zongji.once('error', reject);
      zongji.start({
        serverId: randomInt(1_000_000, 2_000_000),
        filename: status.File,
        position: Number(status.Position),
        includeEvents: ['tablemap', 'writerows'],
        includeSchema: { [schema]: true },
      });
    });
    return reader;
  }

  /** Waits for `count` inserted rows of `table` and decodes them. */
  async rows(table: string, count: number): Promise<Row[]> {
    const deadline = Date.now() + 20_000;
    while ((this.inserted.get(table)?.length ?? 0) < count) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count} rows of ${table} in the binlog`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const columns = columnsFor(table);
    const decoders = binlogDecoders(columns);
    return (this.inserted.get(table) ?? []).map((raw) =>
      Object.fromEntries(
        columns.map((column, i) => [column.name, (decoders[i] as ValueDecoder)(raw[column.name])]),
      ),
    );
  }

  stop(): Promise<unknown> {
    this.stopped ??= new Promise((resolve) => {
      this.zongji.once('stopped', resolve);
      this.zongji.stop();
    });
    return this.stopped;
  }
}

/** The table's columns as the plugin describes them, from information_schema. */
async function describeTable(table: string): Promise<SourceColumn[]> {
  const [rows] = await server.query(
    `SELECT c.COLUMN_NAME AS name, c.ORDINAL_POSITION AS position, c.DATA_TYPE AS dataType, c.COLUMN_TYPE AS columnType,
       c.CHARACTER_MAXIMUM_LENGTH AS charLength, c.NUMERIC_PRECISION AS numericPrecision, c.NUMERIC_SCALE AS numericScale,
       c.DATETIME_PRECISION AS datetimePrecision, c.IS_NULLABLE AS nullable, c.EXTRA AS extra,
       EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA
         AND k.TABLE_NAME = c.TABLE_NAME AND k.CHECK_CLAUSE = CONCAT('json_valid(\`', c.COLUMN_NAME, '\`)')) AS json
     FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION`,
    [database, table],
  );
  const number = (value: unknown) => (value === null ? null : Number(value));
  return (rows as Record<string, unknown>[]).map((row) =>
    sourceColumn({
      name: String(row.name),
      position: Number(row.position),
      dataType: String(row.dataType),
      unsigned: String(row.columnType).includes('unsigned'),
      charLength: number(row.charLength),
      numericPrecision: number(row.numericPrecision),
      numericScale: number(row.numericScale),
      datetimePrecision: number(row.datetimePrecision),
      nullable: row.nullable === 'YES',
      autoIncrement: String(row.extra).includes('auto_increment'),
      json: Number(row.json) === 1,
    }),
  );
}

/** Reads a table the way the snapshot does: a fresh session with the plugin's options, rows as arrays. */
async function snapshot(table: string): Promise<Row[]> {
  const columns = columnsFor(table);
  const session = await mysql.createConnection({
    uri: inject('mariadbUrl'),
    database,
    ...SNAPSHOT_CONNECTION_OPTIONS,
  });
  try {
    for (const statement of SNAPSHOT_SESSION_STATEMENTS) await session.query(statement);
    const [rows] = await session.query({
      sql: `SELECT * FROM ${table} ORDER BY id`,
      rowsAsArray: true,
      typeCast: snapshotTypeCast,
    });
    const decoders = columnDecoders(columns);
    return (rows as unknown[][]).map((raw) =>
      Object.fromEntries(columns.map((column, i) => [column.name, (decoders[i] as ValueDecoder)(raw[i])])),
    );
  } finally {
    await session.end();
  }
}

/** EXPECTED_ZOO with the line string, polygon and multipoint in the form the server's own ST_AsBinary gives. */
async function withServerGeometry(columns: readonly SourceColumn[]): Promise<Row[]> {
  const [rows] = await server.query(
    `SELECT HEX(ST_AsBinary(ls)) AS ls, ST_SRID(ls) AS lsSrid, HEX(ST_AsBinary(poly)) AS poly,
       ST_SRID(poly) AS polySrid, HEX(ST_AsBinary(g)) AS g, ST_SRID(g) AS gSrid FROM zoo ORDER BY id`,
  );
  const [first, second] = rows as Record<string, unknown>[];
  const json = (hex: unknown, srid: unknown) =>
    `{"wkb":"${Buffer.from(String(hex), 'hex').toString('base64')}","srid":${Number(srid)}}`;
  const allNull = Object.fromEntries(columns.map((column) => [column.name, null]));
  return [
    { ...EXPECTED_ZOO[0], ls: json(first?.ls, first?.lsSrid), poly: json(first?.poly, first?.polySrid) },
    { ...EXPECTED_ZOO[1], g: json(second?.g, second?.gSrid) },
    { ...allNull, id: 3 },
  ];
}

function wkbPoint(x: number, y: number): string {
  const wkb = Buffer.alloc(21);
  wkb.writeUInt8(1, 0);
  wkb.writeUInt32LE(1, 1);
  wkb.writeDoubleLE(x, 5);
  wkb.writeDoubleLE(y, 13);
  return wkb.toString('base64');
}

const isFloat = (type: string) => type === 'real' || type === 'double precision';

/** A real column holds the single-precision value; PostgreSQL prints its shortest form. */
const asStored = (type: string, value: unknown) =>
  type === 'real' ? Math.fround(Number(value)) : Number(value);

/** Creates `table` in PostgreSQL with the default types, inserts the rows as the core does, and reads them back. */
async function roundTrip(table: string, rows: readonly Row[]): Promise<Record<string, unknown>[]> {
  const columns = columnsFor(table);
  const types = columns.map(defaultTargetType);
  const quoted = columns.map((column) => `"${column.name}"`);
  await pg.query(`CREATE TABLE ${table} (${quoted.map((name, i) => `${name} ${types[i]}`).join(', ')})`);
  for (const row of rows) {
    const params = columns.map((column) => toPgText(row[column.name]));
    await pg.query(`INSERT INTO ${table} VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})`, params);
  }
  const read = quoted.map((name, i) => {
    const type = types[i] ?? '';
    if (type.startsWith('timestamptz'))
      return `to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"')`;
    if (type === 'jsonb') return `${name} IS NOT NULL`;
    return `${name}::text`;
  });
  const { rows: stored } = await pg.query(
    `SELECT ${read.map((expression, i) => `${expression} AS c${i}`).join(', ')} FROM ${table} ORDER BY id`,
  );
  return stored.map((row) =>
    Object.fromEntries(
      columns.map((column, i) => {
        const text = row[`c${i}`] as string | boolean | null;
        const type = types[i] ?? '';
        return [column.name, isFloat(type) && text !== null ? asStored(type, text) : text];
      }),
    ),
  );
}

/** What `roundTrip` reads back for `row`: PostgreSQL's text for each value. */
function expectedText(columns: readonly SourceColumn[], row: Row): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((column) => {
      const value = row[column.name] ?? null;
      const type = defaultTargetType(column);
      if (value === null) return [column.name, type === 'jsonb' ? false : null];
      if (type === 'jsonb') return [column.name, true];
      if (type === 'boolean') return [column.name, String(value)];
      if (isFloat(type)) return [column.name, asStored(type, value)];
      if (type.startsWith('timestamptz')) return [column.name, withMicroseconds(String(value))];
      return [column.name, toPgText(value)];
    }),
  );
}

/** '2038-01-19 03:14:07+00' → '2038-01-19 03:14:07.000000+00'. */
function withMicroseconds(text: string): string {
  const [time = '', fraction = ''] = text.slice(0, -3).split('.');
  return `${time}.${fraction.padEnd(6, '0')}+00`;
}
