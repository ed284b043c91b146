import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { RowChange, SchemaChange, SourceEvent, SourceTable } from '../../../core/plugin/index.js';
import { offsetFromLsnText, parseOffset } from '../../../plugins/postgres/offset.js';
import { changesThenCheckpoint, collect, postgresFixture } from './postgres-fixture.js';

const changes = (events: readonly SourceEvent[]) =>
  events.filter((event): event is RowChange => event.kind === 'change');
const kinds = (events: readonly SourceEvent[]) =>
  events
    .filter((event) => event.kind !== 'checkpoint')
    .map((event) =>
      event.kind === 'change' ? `${event.op} ${String((event.after ?? event.before)?.id)}` : event.kind,
    );

async function discoverOne(connection: { discover(s: string[]): Promise<SourceTable[]> }, name: string) {
  const [table] = await connection.discover([name]);
  if (table === undefined) throw new Error(`${name} not found`);
  return table;
}

describe('postgres change stream', () => {
  it('leaves unchanged TOASTed columns out of after', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TABLE docs (id integer PRIMARY KEY, body text, note text);
      ALTER TABLE docs ALTER body SET STORAGE EXTERNAL`);
    const body = randomBytes(50_000).toString('hex');
    await fixture.sql('INSERT INTO docs VALUES (1, $1, $2)', [body, 'first']);
    const connection = await fixture.connect();
    const table = await discoverOne(connection, 'public.docs');
    await using capture = await connection.startCapture([table]);
    await fixture.sql(`UPDATE docs SET note = 'second' WHERE id = 1`);
    await fixture.sql(`UPDATE docs SET body = 'short', note = 'third' WHERE id = 1`);

    const events = await collect(connection, capture.startOffset, {
      tables: [table],
      until: changesThenCheckpoint(2),
    });

    const [untouched, rewritten] = changes(events);
    expect(untouched?.after).toEqual({ id: 1, note: 'second' });
    expect(untouched?.after && 'body' in untouched.after).toBe(false);
    expect(untouched?.before).toEqual({ id: 1 });
    expect(rewritten?.after).toEqual({ id: 1, body: 'short', note: 'third' });
  });

  it('carries the full old row in before under REPLICA IDENTITY FULL, and the old key under DEFAULT', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TABLE full_rows (id integer PRIMARY KEY, name text);
      ALTER TABLE full_rows REPLICA IDENTITY FULL;
      CREATE TABLE keyed (a integer, b integer, name text, PRIMARY KEY (b, a));
      INSERT INTO full_rows VALUES (1, 'one'); INSERT INTO keyed VALUES (1, 2, 'x')`);
    const connection = await fixture.connect();
    const tables = [
      await discoverOne(connection, 'public.full_rows'),
      await discoverOne(connection, 'public.keyed'),
    ];
    await using capture = await connection.startCapture(tables);
    await fixture.sql(`UPDATE full_rows SET name = 'uno' WHERE id = 1`);
    await fixture.sql(`UPDATE keyed SET a = 5 WHERE a = 1`);
    await fixture.sql(`DELETE FROM keyed WHERE a = 5`);

    const events = await collect(connection, capture.startOffset, {
      tables,
      until: changesThenCheckpoint(3),
    });

    expect(changes(events).map(({ op, before, after }) => ({ op, before, after }))).toEqual([
      { op: 'update', before: { id: 1, name: 'one' }, after: { id: 1, name: 'uno' } },
      { op: 'update', before: { b: 2, a: 1 }, after: { a: 5, b: 2, name: 'x' } },
      { op: 'delete', before: { b: 2, a: 5 }, after: undefined },
    ]);
  });

  it('without DDL capture, announces ADD COLUMN and DROP COLUMN with a SchemaChange before the next row', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE items (id integer PRIMARY KEY, name text, old text)');
    const connection = await fixture.connect({ options: { captureDdl: false } });
    const table = await discoverOne(connection, 'public.items');
    await using capture = await connection.startCapture([table]);
    await fixture.sql(`INSERT INTO items VALUES (1, 'one', 'x')`);
    await fixture.sql('ALTER TABLE items ADD COLUMN price numeric(10,2)');
    await fixture.sql(`INSERT INTO items VALUES (2, 'two', 'y', 9.50)`);
    await fixture.sql('ALTER TABLE items DROP COLUMN old');
    await fixture.sql(`INSERT INTO items VALUES (3, 'three', 1.25)`);

    const events = await collect(connection, capture.startOffset, {
      tables: [table],
      until: changesThenCheckpoint(3),
    });

    expect(kinds(events)).toEqual(['insert 1', 'schema', 'insert 2', 'schema', 'insert 3']);
    const [added, dropped] = events.filter((event): event is SchemaChange => event.kind === 'schema');
    expect(added?.action).toBe('alter');
    expect(added?.table.columns.map((column) => [column.name, column.position, column.type])).toEqual([
      ['id', 1, 'integer'],
      ['name', 2, 'text'],
      ['old', 3, 'text'],
      ['price', 4, 'numeric'],
    ]);
    expect(added?.table.columns[3]).toMatchObject({ precision: 10, scale: 2 });
    expect(added?.table.primaryKey).toEqual(['id']);
    expect(dropped?.table.columns.map((column) => [column.name, column.position])).toEqual([
      ['id', 1],
      ['name', 2],
      ['price', 3],
    ]);
    const insert2 = changes(events)[1];
    expect(added?.commitOffset).toBe(insert2?.commitOffset);
    expect(insert2?.after).toEqual({ id: 2, name: 'two', old: 'y', price: '9.50' });
  });

  it('announces a table whose shape changed since the engine described it, and no other', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(
      'CREATE TABLE items (id integer PRIMARY KEY, name varchar(10)); CREATE TABLE same (id integer PRIMARY KEY)',
    );
    const connection = await fixture.connect();
    const items = await discoverOne(connection, 'public.items');
    const same = await discoverOne(connection, 'public.same');
    await fixture.sql('ALTER TABLE items ALTER name TYPE varchar(20)');
    await using capture = await connection.startCapture([items, same]);
    await fixture.sql(`INSERT INTO same VALUES (1); INSERT INTO items VALUES (1, 'one')`);

    const events = await collect(connection, capture.startOffset, {
      tables: [items, same],
      until: changesThenCheckpoint(2),
    });

    expect(kinds(events)).toEqual(['insert 1', 'schema', 'insert 1']);
    const schema = events.find((event): event is SchemaChange => event.kind === 'schema');
    expect(schema?.table.ref.name).toBe('items');
    expect(schema?.table.columns[1]).toMatchObject({ name: 'name', type: 'character varying', length: 20 });
  });

  it('delivers a TRUNCATE of several tables as one TruncateChange', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE a (id integer PRIMARY KEY); CREATE TABLE b (id integer PRIMARY KEY)');
    const connection = await fixture.connect();
    const tables = [await discoverOne(connection, 'public.a'), await discoverOne(connection, 'public.b')];
    await using capture = await connection.startCapture(tables);
    await fixture.sql('TRUNCATE a, b');

    const events = await collect(connection, capture.startOffset, {
      tables,
      until: (read) => read.some((event) => event.kind === 'truncate') && read.at(-1)?.kind === 'checkpoint',
    });

    const truncate = events.find((event) => event.kind === 'truncate');
    expect(truncate).toMatchObject({ tables: tables.map((table) => table.ref) });
    expect(truncate?.commitOffset && truncate.commitOffset > capture.startOffset).toBe(true);
  });

  it('emits checkpoints at the server WAL end while the captured tables are idle', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE quiet (id integer PRIMARY KEY); CREATE TABLE busy (id integer)');
    const connection = await fixture.connect({ options: { heartbeatIntervalMs: 200 } });
    const quiet = await discoverOne(connection, 'public.quiet');
    await using capture = await connection.startCapture([quiet]);
    await fixture.sql('INSERT INTO busy SELECT generate_series(1, 1000)');
    const [{ lsn } = { lsn: '0/0' }] = await fixture.sql<{ lsn: string }>(
      'SELECT pg_current_wal_lsn()::text AS lsn',
    );

    const events = await collect(connection, capture.startOffset, {
      tables: [quiet],
      until: (read) =>
        read.some((event) => event.kind === 'checkpoint' && event.offset >= offsetFromLsnText(lsn)),
    });

    expect(events.every((event) => event.kind === 'checkpoint')).toBe(true);
    const offsets = events.map((event) => (event.kind === 'checkpoint' ? event.offset : ''));
    expect(offsets[0] && offsets[0] > capture.startOffset).toBe(true);
    expect([...offsets].sort()).toEqual(offsets);
    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it('never confirms a position to the server except through ack', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE items (id integer PRIMARY KEY)');
    const connection = await fixture.connect({ options: { heartbeatIntervalMs: 100 } });
    const table = await discoverOne(connection, 'public.items');
    await using capture = await connection.startCapture([table]);
    const confirmed = async () => {
      const [row] = await fixture.sql<{ lsn: string }>(
        `SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE database = $1 AND NOT temporary`,
        [fixture.databaseName],
      );
      return offsetFromLsnText(row?.lsn ?? '0/0');
    };
    for (const id of [1, 2, 3]) await fixture.sql('INSERT INTO items VALUES ($1)', [id]);
    const controller = new AbortController();
    const checkpoints: string[] = [];
    const reading = (async () => {
      for await (const event of connection.readChanges(capture.startOffset, {
        tables: [table],
        signal: controller.signal,
      })) {
        if (event.kind === 'checkpoint') checkpoints.push(event.offset);
      }
    })();
    while (checkpoints.length < 3) await sleep(20);
    await sleep(500);
    const beforeAck = await confirmed();

    const acked = checkpoints[1] ?? '';
    await connection.ack(acked);
    let afterAck = await confirmed();
    for (let wait = 0; afterAck !== acked && wait < 100; wait++) {
      await sleep(20);
      afterAck = await confirmed();
    }
    controller.abort();
    await reading;

    expect(beforeAck).toBe(capture.startOffset);
    expect(afterAck).toBe(acked);
    expect(parseOffset(acked) > parseOffset(capture.startOffset)).toBe(true);
  });
});
