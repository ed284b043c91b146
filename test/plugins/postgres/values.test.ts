import { describe, expect, it } from 'vitest';
import type { Row, RowChange, SourceTable } from '../../../core/plugin/index.js';
import { changesThenCheckpoint, collect, postgresFixture } from './postgres-fixture.js';

const COLUMNS = `
  id integer PRIMARY KEY,
  big bigint, small smallint, exact numeric(38,10), cash money, ratio double precision, ratio4 real,
  at timestamp(6), at_tz timestamptz, day date, clock time, span interval,
  flag boolean, bytes bytea, doc jsonb, doc_json json, uid uuid, addr inet,
  ints integer[], words text[], feeling mood, counter positive_int, note varchar(20)`;

const FULL_ROW = `
  9223372036854775807, -32768, '1234567890123456789012345678.0123456789', '-1234.56', 0.1, 1.5,
  '2024-02-29 23:59:59.123456', '2024-01-02 03:04:05.678912+02', '2024-01-02', '12:34:56.789', '1 day 02:03:04',
  true, '\\x00ff10', '{"a": [1, 2, {"b": null}], "s": "x"}', '{"k": 1.5}',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24',
  '{1,2,NULL}', '{"a b",c}', 'happy', 7, 'hello'`;

const EXPECTED_FULL: Row = {
  big: '9223372036854775807',
  small: -32768,
  exact: '1234567890123456789012345678.0123456789',
  cash: '-1234.56',
  ratio: 0.1,
  ratio4: 1.5,
  at: '2024-02-29 23:59:59.123456',
  at_tz: '2024-01-02 01:04:05.678912+00',
  day: '2024-01-02',
  clock: '12:34:56.789',
  span: '1 day 02:03:04',
  flag: true,
  bytes: Buffer.from('00ff10', 'hex'),
  doc: { a: [1, 2, { b: null }], s: 'x' },
  doc_json: { k: 1.5 },
  uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  addr: '192.168.0.1/24',
  ints: '{1,2,NULL}',
  words: '{"a b",c}',
  feeling: 'happy',
  counter: 7,
  note: 'hello',
};

const withoutId = ({ id: _id, ...row }: Row) => row;

describe('postgres value normalisation', () => {
  it('reads every type in the same SourceValue form in the snapshot and in the stream', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
      CREATE TABLE typed (${COLUMNS})`);
    const insert = (id: number, fullId: number) =>
      fixture.sql(
        `INSERT INTO typed VALUES (${fullId}, ${FULL_ROW}); INSERT INTO typed (id, big) VALUES (${id}, -9223372036854775808)`,
      );
    await insert(2, 1);
    const connection = await fixture.connect();
    const [table] = (await connection.discover(['public.typed'])) as [SourceTable];
    await using capture = await connection.startCapture([table]);
    await insert(12, 11);

    const snapshot = [];
    for await (const batch of capture.readTable(table, {
      batchSize: 10,
      signal: AbortSignal.timeout(10_000),
    }))
      snapshot.push(...batch);
    const events = await collect(connection, capture.startOffset, {
      tables: [table],
      until: changesThenCheckpoint(2),
    });
    const streamed = events
      .filter((event): event is RowChange => event.kind === 'change')
      .map((event) => event.after);

    expect(snapshot.map(withoutId)).toEqual(streamed.map((row) => withoutId(row ?? {})));
    expect(withoutId(snapshot[0] ?? {})).toEqual(EXPECTED_FULL);
    const empty = Object.fromEntries(Object.keys(EXPECTED_FULL).map((name) => [name, null]));
    expect(withoutId(snapshot[1] ?? {})).toEqual({ ...empty, big: '-9223372036854775808' });
  });

  it('describes columns with SQL type names, sizes and domains resolved to their base type', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
      CREATE DOMAIN short_text AS varchar(5);
      CREATE TABLE typed (${COLUMNS}, code short_text, serial_id bigserial, ident int GENERATED ALWAYS AS IDENTITY)`);
    const connection = await fixture.connect();

    const [table] = await connection.discover(['public.typed']);
    const byName = new Map(table?.columns.map((column) => [column.name, column]));

    expect(byName.get('exact')).toMatchObject({ type: 'numeric', precision: 38, scale: 10 });
    expect(byName.get('at')).toMatchObject({ type: 'timestamp without time zone', precision: 6 });
    expect(byName.get('at_tz')).toMatchObject({ type: 'timestamp with time zone', precision: null });
    expect(byName.get('note')).toMatchObject({ type: 'character varying', length: 20 });
    expect(byName.get('counter')).toMatchObject({ type: 'integer' });
    expect(byName.get('code')).toMatchObject({ type: 'character varying', length: 5 });
    expect(byName.get('ints')).toMatchObject({ type: 'integer[]' });
    expect(byName.get('feeling')).toMatchObject({ type: 'mood' });
    expect(byName.get('id')).toMatchObject({ nullable: false, autoIncrement: false, position: 1 });
    expect(byName.get('serial_id')).toMatchObject({ type: 'bigint', autoIncrement: true, nullable: false });
    expect(byName.get('ident')).toMatchObject({ type: 'integer', autoIncrement: true });
    expect(table?.columns.map((column) => column.position)).toEqual(
      table?.columns.map((_, index) => index + 1),
    );
  });
});
