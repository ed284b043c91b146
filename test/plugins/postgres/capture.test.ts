import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  HistoryLostError,
  type Row,
  type SourceTable,
  SourceUnavailableError,
} from '../../../core/plugin/index.js';
import { offsetFromLsnText } from '../../../plugins/postgres/offset.js';
import { changesThenCheckpoint, collect, type PostgresFixture, postgresFixture } from './postgres-fixture.js';

const slots = (fixture: PostgresFixture) =>
  fixture.sql<{ slot_name: string; temporary: boolean; confirmed: string }>(
    `SELECT slot_name, temporary, confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots
     WHERE database = $1 ORDER BY temporary, slot_name`,
    [fixture.databaseName],
  );

async function waitFor(condition: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await condition()) return true;
    await sleep(50);
  }
  return false;
}

describe('postgres capture', () => {
  it('publishes exactly the selected tables and adds the missing ones on a later capture', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(
      'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE c (id int)',
    );
    const connection = await fixture.connect({ connectorName: 'Shop' });
    const [a, b] = (await connection.discover(['public.a', 'public.b'])) as [SourceTable, SourceTable];
    const published = () =>
      fixture.sql<{ tablename: string }>(
        `SELECT tablename FROM pg_publication_tables WHERE pubname = 'tributary_shop' ORDER BY tablename`,
      );

    await (await connection.startCapture([a]))[Symbol.asyncDispose]();
    const first = await published();
    await (await connection.startCapture([a, b]))[Symbol.asyncDispose]();

    expect(first.map((row) => row.tablename)).toEqual(['a']);
    expect((await published()).map((row) => row.tablename)).toEqual(['a', 'b']);
  });

  it('pins a later snapshot with a temporary slot, leaving the permanent slot where it was', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE a (id int PRIMARY KEY)');
    const connection = await fixture.connect({ connectorName: 'pins' });
    const [a] = (await connection.discover(['public.a'])) as [SourceTable];
    await using first = await connection.startCapture([a]);
    const afterFirst = await slots(fixture);
    await fixture.sql('INSERT INTO a VALUES (1)');

    const second = await connection.startCapture([a]);
    const duringSecond = await slots(fixture);
    await second[Symbol.asyncDispose]();
    const released = await waitFor(async () => (await slots(fixture)).length === 1);

    expect(afterFirst).toEqual([
      { slot_name: 'tributary_pins', temporary: false, confirmed: expect.any(String) },
    ]);
    expect(offsetFromLsnText(afterFirst[0]?.confirmed ?? '')).toBe(first.startOffset);
    expect(duringSecond).toHaveLength(2);
    expect(duringSecond[0]).toEqual(afterFirst[0]);
    expect(duringSecond[1]).toMatchObject({
      slot_name: expect.stringMatching(/^tributary_pins_[0-9a-f]{8}$/),
      temporary: true,
    });
    expect(offsetFromLsnText(duringSecond[1]?.confirmed ?? '')).toBe(second.startOffset);
    expect(second.startOffset > first.startOffset).toBe(true);
    expect(released).toBe(true);
    expect((await slots(fixture))[0]).toEqual(afterFirst[0]);
  });

  it('copies a table as COPY text as of the snapshot', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TABLE a (id int PRIMARY KEY, name text, price money, at timestamptz);
      INSERT INTO a VALUES (1, 'one', 12.5, '2024-01-02 03:04:05+00'), (2, NULL, -1, NULL)`);
    const connection = await fixture.connect();
    const [a] = (await connection.discover(['public.a'])) as [SourceTable];
    await using capture = await connection.startCapture([a]);
    await fixture.sql(`INSERT INTO a VALUES (3, 'later', 0, NULL)`);

    const chunks: Buffer[] = [];
    for await (const chunk of capture.copyTable?.(a, { signal: AbortSignal.timeout(10_000) }) ?? [])
      chunks.push(chunk);

    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n').sort();
    expect(lines).toEqual(['1\tone\t12.50\t2024-01-02 03:04:05+00', '2\t\\N\t-1.00\t\\N']);
  });

  it('reads a table without a primary key in source order and refuses a resume key for it', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(
      `CREATE TABLE c (id int, name text); INSERT INTO c VALUES (3, 'x'), (1, 'y'), (2, 'z')`,
    );
    const connection = await fixture.connect();
    const [c] = (await connection.discover(['public.c'])) as [SourceTable];
    await using capture = await connection.startCapture([c]);
    const signal = AbortSignal.timeout(10_000);

    const rows: Row[] = [];
    for await (const batch of capture.readTable(c, { batchSize: 2, signal })) rows.push(...batch);
    const resume = (async () => {
      for await (const _ of capture.readTable(c, { batchSize: 2, signal, afterKey: [1] })) {
      }
    })();

    expect(rows.map((row) => row.id).sort()).toEqual([1, 2, 3]);
    await expect(resume).rejects.toThrow(/afterKey is not supported for "public"."c": it has no primary key/);
  });

  it('resumes after a composite key in key order', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TABLE lines (a int, b text, PRIMARY KEY (b, a));
      INSERT INTO lines VALUES (1, 'x'), (2, 'x'), (1, 'y'), (3, 'w')`);
    const connection = await fixture.connect();
    const [lines] = (await connection.discover(['public.lines'])) as [SourceTable];
    await using capture = await connection.startCapture([lines]);

    const rows: Row[] = [];
    const options = { batchSize: 1, signal: AbortSignal.timeout(10_000), afterKey: ['x', 1] };
    for await (const batch of capture.readTable(lines, options)) rows.push(...batch);

    expect(rows).toEqual([
      { a: 2, b: 'x' },
      { a: 1, b: 'y' },
    ]);
  });

  it('throws HistoryLostError when the slot was dropped behind its back', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE a (id int PRIMARY KEY)');
    const connection = await fixture.connect({ connectorName: 'lost' });
    const [a] = (await connection.discover(['public.a'])) as [SourceTable];
    await using capture = await connection.startCapture([a]);
    await fixture.sql(`SELECT pg_drop_replication_slot('tributary_lost')`);

    const reading = collect(connection, capture.startOffset, { tables: [a], until: () => false });

    await expect(reading).rejects.toBeInstanceOf(HistoryLostError);
    await expect(reading).rejects.toThrow(/replication slot tributary_lost does not exist/);
    await expect(connection.ack(capture.startOffset)).rejects.toBeInstanceOf(HistoryLostError);
  });

  it('throws HistoryLostError when reading from before the confirmed position', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE a (id int PRIMARY KEY)');
    const connection = await fixture.connect();
    const [a] = (await connection.discover(['public.a'])) as [SourceTable];
    await using capture = await connection.startCapture([a]);
    await fixture.sql('INSERT INTO a VALUES (1)');
    const events = await collect(connection, capture.startOffset, {
      tables: [a],
      until: changesThenCheckpoint(1),
    });
    const checkpoint = events.at(-1);
    if (checkpoint?.kind !== 'checkpoint') throw new Error('no checkpoint');
    await connection.ack(checkpoint.offset);

    const reading = collect(connection, capture.startOffset, { tables: [a], until: () => false });

    await expect(reading).rejects.toBeInstanceOf(HistoryLostError);
    await expect(reading).rejects.toThrow(/has confirmed .* after the requested/);
  });

  it('drops the slot held by a running stream, and the publication', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE a (id int PRIMARY KEY)');
    const connection = await fixture.connect({ connectorName: 'dropper' });
    const [a] = (await connection.discover(['public.a'])) as [SourceTable];
    const capture = await connection.startCapture([a]);
    await capture[Symbol.asyncDispose]();
    const other = await fixture.connect({ connectorName: 'dropper' });
    const controller = new AbortController();
    const streaming = (async () => {
      for await (const _ of other.readChanges(capture.startOffset, {
        tables: [a],
        signal: controller.signal,
      })) {
      }
    })().then(
      () => 'ended',
      (error: unknown) => error,
    );
    const active = await waitFor(
      async () => (await fixture.sql(`SELECT 1 FROM pg_replication_slots WHERE active`)).length > 0,
    );

    await connection.dropCapture();

    expect(active).toBe(true);
    expect(await slots(fixture)).toEqual([]);
    expect(await fixture.sql(`SELECT 1 FROM pg_publication WHERE pubname = 'tributary_dropper'`)).toEqual([]);
    expect(await streaming).toBeInstanceOf(SourceUnavailableError);
    controller.abort();
  });

  it('keeps a publication the user made and named in the options when dropping the capture', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(
      'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int); CREATE PUBLICATION "Team_Pub" FOR TABLE b',
    );
    const connection = await fixture.connect({
      options: { publicationName: 'Team_Pub', slotName: 'team_slot' },
    });
    const [a] = (await connection.discover(['public.a'])) as [SourceTable];
    await (await connection.startCapture([a]))[Symbol.asyncDispose]();
    const published = await fixture.sql<{ tablename: string }>(
      `SELECT tablename FROM pg_publication_tables WHERE pubname = 'Team_Pub' ORDER BY tablename`,
    );

    await connection.dropCapture();

    expect(published.map((row) => row.tablename)).toEqual(['a', 'b']);
    expect(await fixture.sql(`SELECT 1 FROM pg_publication WHERE pubname = 'Team_Pub'`)).toHaveLength(1);
    expect(await slots(fixture)).toEqual([]);
  });
});
