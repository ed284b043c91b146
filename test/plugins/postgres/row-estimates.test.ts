import { describe, expect, it } from 'vitest';
import type { SourceTable } from '../../../core/plugin/index.js';
import { waitFor } from '../../support/wait-for.js';
import { postgresFixture } from './postgres-fixture.js';

describe('postgres estimateRows', () => {
  it('reads analysed tables from pg_class.reltuples, in the order asked, and sums a partitioned table', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE counted (id int PRIMARY KEY)');
    await fixture.sql('INSERT INTO counted SELECT generate_series(1, 5000)');
    await fixture.sql('CREATE TABLE few (id int PRIMARY KEY)');
    await fixture.sql('INSERT INTO few VALUES (1), (2), (3)');
    await fixture.sql('CREATE TABLE parted (id int PRIMARY KEY) PARTITION BY RANGE (id)');
    await fixture.sql('CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100)');
    await fixture.sql('CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (100) TO (1000)');
    await fixture.sql('INSERT INTO parted SELECT generate_series(0, 299)');
    await fixture.sql('ANALYZE counted, few, parted_low, parted_high');
    const connection = await fixture.connect();
    const tables = await connection.discover(['public.few', 'public.parted', 'public.counted']);

    expect(await connection.estimateRows(tables)).toEqual([3, 300, 5000]);
  });

  it('answers null for a table that is gone or never analysed and has no live-row count', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE empty_never_analysed (id int PRIMARY KEY)');
    await fixture.sql('CREATE TABLE dropped (id int PRIMARY KEY)');
    const connection = await fixture.connect();
    const [empty, dropped] = (await connection.discover([
      'public.empty_never_analysed',
      'public.dropped',
    ])) as [SourceTable, SourceTable];
    await fixture.sql('DROP TABLE dropped');
    const [reltuples] = await fixture.sql<{ reltuples: number }>(
      "SELECT reltuples FROM pg_class WHERE oid = 'empty_never_analysed'::regclass",
    );
    expect(reltuples?.reltuples).toBe(-1);

    expect(await connection.estimateRows([empty, dropped])).toEqual([null, null]);
  });

  it('falls back on the live-row count of a table never analysed', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE fresh (id int PRIMARY KEY)');
    await fixture.sql('INSERT INTO fresh SELECT generate_series(1, 40); SELECT pg_stat_force_next_flush()');
    await waitFor('the insert to reach the statistics', async () => {
      const [live] = await fixture.sql<{ n: string }>(
        "SELECT n_live_tup AS n FROM pg_stat_all_tables WHERE relid = 'fresh'::regclass",
      );
      return Number(live?.n) === 40 ? true : undefined;
    });
    const connection = await fixture.connect();
    const tables = await connection.discover(['public.fresh']);

    expect(await connection.estimateRows(tables)).toEqual([40]);
  });
});
