import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTds, startFakeTds } from './fake-tds-server.js';
import type { ColumnSpec, ResultSet } from './result-set.js';
import { closeTedious, connectTedious, query } from './tedious-client.js';
import { LATIN1_GENERAL_100_CI_AS_SC_UTF8 } from './tokens.js';
import type { SqlValue } from './value-encoder.js';

const columns: ColumnSpec[] = [
  { name: 'i', type: 'int' },
  { name: 'big', type: 'bigint' },
  { name: 'small', type: 'smallint' },
  { name: 'tiny', type: 'tinyint' },
  { name: 'flag', type: 'bit' },
  { name: 'dbl', type: 'float' },
  { name: 'sgl', type: 'real' },
  { name: 'name', type: 'nvarchar(40)' },
  { name: 'body', type: 'nvarchar(max)' },
  { name: 'latin', type: 'varchar(10)' },
  { name: 'utf8', type: 'varchar(20)', collation: LATIN1_GENERAL_100_CI_AS_SC_UTF8 },
  { name: 'bytes', type: 'varbinary(8)' },
  { name: 'lsn', type: 'binary(10)' },
  { name: 'blob', type: 'varbinary(max)' },
  { name: 'd18', type: 'decimal(18,4)' },
  { name: 'd38', type: 'decimal(38,10)' },
  { name: 'd38_text', type: 'varchar(50)' },
  { name: 'ts', type: 'datetime2(7)' },
  { name: 'tso', type: 'datetimeoffset(7)' },
  { name: 'day', type: 'date' },
  { name: 'clock', type: 'time(7)' },
  { name: 'guid', type: 'uniqueidentifier' },
];

const longText = 'ab\u00e9\u2713'.repeat(30_000);
const lsn = Buffer.from('0000002a000001f40003', 'hex');
const blob = Buffer.alloc(20_000, 7);
const values: SqlValue[] = [
  2147483647,
  '9223372036854775807',
  -32768,
  255,
  true,
  1.5e300,
  3.5,
  "it's \u00fcn\u00efc\u00f8d\u00e9 \u2713",
  longText,
  'caf\u00e9',
  'caf\u00e9 \u2713 \u{1f600}',
  Buffer.from([0, 1, 2, 0xff]),
  lsn,
  blob,
  '12345678901234.5678',
  '1234567890123456789012345678.0123456789',
  '1234567890123456789012345678.0123456789',
  '2024-02-29 23:59:59.1234567',
  '2024-01-02 03:04:05.1234567 +05:30',
  '0001-01-01',
  '13:14:15.1234567',
  '6F9619FF-8B86-D011-B42D-00C04FC964FF',
];
const nulls: SqlValue[] = columns.map(() => null);

describe('fake TDS server: values decoded by the real tedious driver', () => {
  let fake: FakeTds;

  beforeAll(async () => {
    fake = await startFakeTds({
      packetSize: 512,
      handler: (sql): ResultSet | ResultSet[] => {
        if (sql === 'SELECT nulls') {
          return [
            { columns, rows: [nulls], rowToken: 'nbcrow' },
            { columns, rows: [nulls], rowToken: 'row' },
          ];
        }
        return { columns, rows: [values] };
      },
    });
  });

  afterAll(async () => {
    await fake.close();
    expect(fake.errors).toEqual([]);
  });

  it('decodes every supported type exactly as tedious documents it, across 512-byte packets', async () => {
    const { connection } = await connectTedious(fake.port, { packetSize: 512 });
    const [[row = {}] = []] = await query(connection, 'SELECT everything');
    await closeTedious(connection);
    expect(row).toMatchObject({
      i: 2147483647,
      big: '9223372036854775807',
      small: -32768,
      tiny: 255,
      flag: true,
      dbl: 1.5e300,
      sgl: 3.5,
      name: "it's \u00fcn\u00efc\u00f8d\u00e9 \u2713",
      latin: 'caf\u00e9',
      utf8: 'caf\u00e9 \u2713 \u{1f600}',
      bytes: Buffer.from([0, 1, 2, 0xff]),
      lsn,
      blob,
      d38_text: '1234567890123456789012345678.0123456789',
      guid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    });
    expect(row.body).toBe(longText);
  });

  it('shows that tedious rounds decimals past 15 digits to a JavaScript number, so exact values need text', async () => {
    const { connection } = await connectTedious(fake.port);
    const [[row = {}] = []] = await query(connection, 'SELECT everything');
    await closeTedious(connection);
    expect(typeof row.d18).toBe('number');
    expect(row.d18).toBeCloseTo(12345678901234.568, 2);
    expect(String(row.d18)).not.toBe('12345678901234.5678');
    expect(String(row.d38)).not.toBe('1234567890123456789012345678.0123456789');
    expect(row.d38_text).toBe('1234567890123456789012345678.0123456789');
  });

  it('decodes datetime2(7), datetimeoffset(7), date and time(7) to Date plus nanosecondsDelta', async () => {
    const { connection } = await connectTedious(fake.port);
    const [[row = {}] = []] = await query(connection, 'SELECT everything');
    await closeTedious(connection);
    const ts = row.ts as Date & { nanosecondsDelta: number };
    expect(ts.toISOString()).toBe('2024-02-29T23:59:59.123Z');
    expect(ts.nanosecondsDelta).toBeCloseTo(0.0004567, 10);
    expect((row.tso as Date).toISOString()).toBe('2024-01-01T21:34:05.123Z');
    expect((row.day as Date).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    const clock = row.clock as Date & { nanosecondsDelta: number };
    expect(clock.toISOString()).toBe('1970-01-01T13:14:15.123Z');
    expect(clock.nanosecondsDelta).toBeCloseTo(0.0004567, 10);
  });

  it('decodes a NULL of every type, in NBCROW and in ROW tokens', async () => {
    const { connection } = await connectTedious(fake.port);
    const sets = await query(connection, 'SELECT nulls');
    await closeTedious(connection);
    const allNull = Object.fromEntries(columns.map((column) => [column.name, null]));
    expect(sets).toEqual([[allNull], [allNull]]);
  });
});
