import { describe, expect, inject, it } from 'vitest';
import { type MysqlContractSource, mysqlContractTarget } from '../plugins/mysql/mysql-contract-source.js';
import { EngineHarness } from './engine-harness.js';

/**
 * docs/synchdb-compatibility.md §4.6's MySQL types, each with a value and the text PostgreSQL must hold for
 * it.
 */
const ZOO: readonly {
  readonly column: string;
  readonly type: string;
  readonly value: string;
  readonly text: string | null;
}[] = [
  { column: 'ti', type: 'tinyint', value: '-128', text: '-128' },
  { column: 'tiu', type: 'tinyint unsigned', value: '255', text: '255' },
  { column: 'siu', type: 'smallint unsigned', value: '65535', text: '65535' },
  { column: 'mi', type: 'mediumint', value: '-8388608', text: '-8388608' },
  { column: 'iu', type: 'int unsigned', value: '4294967295', text: '4294967295' },
  { column: 'bi', type: 'bigint', value: '-9223372036854775808', text: '-9223372036854775808' },
  { column: 'biu', type: 'bigint unsigned', value: '18446744073709551615', text: '18446744073709551615' },
  {
    column: 'd65',
    type: 'decimal(65,30)',
    value: "'-99999999999999999999999999999999999.999999999999999999999999999999'",
    text: '-99999999999999999999999999999999999.999999999999999999999999999999',
  },
  { column: 'du', type: 'decimal(10,2) unsigned', value: "'12345678.91'", text: '12345678.91' },
  { column: 'f', type: 'float', value: '3.5', text: '3.5' },
  { column: 'db', type: 'double', value: '1.7976931348623157e308', text: '1.7976931348623157e+308' },
  { column: 'b1', type: 'bit(1)', value: "b'1'", text: 'true' },
  { column: 'b64', type: 'bit(64)', value: `b'1${'0'.repeat(62)}1'`, text: `1${'0'.repeat(62)}1` },
  { column: 'y', type: 'year', value: '2155', text: '2155' },
  { column: 'd', type: 'date', value: "'9999-12-31'", text: '9999-12-31' },
  { column: 'zd', type: 'date NULL', value: "'0000-00-00'", text: null },
  { column: 't6', type: 'time(6)', value: "'23:59:59.999999'", text: '23:59:59.999999' },
  {
    column: 'dt6',
    type: 'datetime(6)',
    value: "'9999-12-31 23:59:59.999999'",
    text: '9999-12-31 23:59:59.999999',
  },
  {
    column: 'ts6',
    type: 'timestamp(6) NULL',
    value: "'2038-01-19 03:14:07.999999'",
    text: '2038-01-19 03:14:07.999999',
  },
  { column: 'c', type: 'char(5)', value: "'ab'", text: 'ab' },
  { column: 'vc', type: 'varchar(20)', value: "'😀 naïve'", text: '😀 naïve' },
  { column: 'tx', type: 'longtext', value: "'long'", text: 'long' },
  { column: 'bn', type: 'binary(3)', value: "x'01'", text: '\\x010000' },
  { column: 'bb', type: 'blob', value: "x'00ff00'", text: '\\x00ff00' },
  { column: 'e', type: "enum('a','b,c')", value: "'b,c'", text: 'b,c' },
  { column: 's', type: "set('x','y','z')", value: "'x,z'", text: 'x,z' },
  {
    column: 'j',
    type: 'json',
    value: `'{"a": [1, 2.5, null], "big": 18446744073709551615123}'`,
    text: '{"a": [1, 2.5, null], "big": 18446744073709551615123}',
  },
  {
    column: 'g',
    type: 'point',
    value: 'POINT(1, 2)',
    text: `{"wkb":"AQEAAAAAAAAAAADwPwAAAAAAAABA","srid":0}`,
  },
];

/** The PostgreSQL type each zoo column is created with (`format_type`). */
const TARGET_TYPES: Readonly<Record<string, string>> = {
  id: 'integer',
  ti: 'smallint',
  tiu: 'smallint',
  siu: 'integer',
  mi: 'integer',
  iu: 'bigint',
  bi: 'bigint',
  biu: 'numeric(20,0)',
  d65: 'numeric(65,30)',
  du: 'numeric(10,2)',
  f: 'real',
  db: 'double precision',
  b1: 'boolean',
  b64: 'bit(64)',
  y: 'integer',
  d: 'date',
  zd: 'date',
  t6: 'time(6) without time zone',
  dt6: 'timestamp(6) without time zone',
  ts6: 'timestamp(6) with time zone',
  c: 'character(5)',
  vc: 'character varying(20)',
  tx: 'text',
  bn: 'bytea',
  bb: 'bytea',
  e: 'text',
  s: 'text',
  j: 'jsonb',
  g: 'text',
};

/** PostgreSQL text of every zoo column; timestamptz read in UTC. */
const SELECT = ZOO.map(({ column }) =>
  column === 'ts6' ? `(ts6 AT TIME ZONE 'UTC')::text AS ts6` : `${column}::text AS ${column}`,
).join(', ');

describe('MySQL type zoo at the destination', () => {
  it('lands every type of the default map exactly, whether copied in the snapshot or streamed', async () => {
    await using h = await EngineHarness.open(inject('targetClusterUrl'), mysqlContractTarget);
    const database = (h.source as MysqlContractSource).database;
    const session = await database.session();
    try {
      await session.query(`SET SESSION sql_mode = '', time_zone = '+00:00'`);
      await session.query(
        `CREATE TABLE zoo (id int PRIMARY KEY, ${ZOO.map((z) => `${z.column} ${z.type}`).join(', ')})`,
      );
      const insert = (id: number) =>
        session.query(`INSERT INTO zoo VALUES (${id}, ${ZOO.map((z) => z.value).join(', ')})`);
      await insert(1);
      const table = { database: database.name, schema: null, name: 'zoo' };
      await h.addConnector('zoo', { tables: [table] });
      await h.lifecycle('startConnector', 'zoo');
      await h.waitForState('zoo', 'CHANGE_DATA_CAPTURE', 'POLLING');
      await insert(2);
      const expected = Object.fromEntries(ZOO.map((z) => [z.column, z.text]));
      await h.waitForRows(table, [{ id: 1 }, { id: 2 }], 'id');
      const rows = (await h.target.query(`SELECT ${SELECT} FROM ${h.destination(table)} ORDER BY id`)).rows;
      expect(rows).toEqual([expected, expected]);
      const types = await h.target.query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [h.destination(table)],
      );
      expect(Object.fromEntries(types.rows.map((row) => [row.name, row.type]))).toEqual(TARGET_TYPES);
    } finally {
      await session.end();
    }
  });
});
