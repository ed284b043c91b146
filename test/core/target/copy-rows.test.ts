import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { copyRows, copyText } from '../../../core/target/copy-rows.js';
import type { TargetTable } from '../../../core/target/target-table.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

/** `public.customers (id, name, tier)`, while the destination table has no `tier` column. */
const TABLE: TargetTable = {
  source: {
    ref: { database: 'src', schema: 'public', name: 'customers' },
    columns: [
      { name: 'id', position: 1, type: 'integer', nullable: false },
      { name: 'name', position: 2, type: 'text', nullable: true },
      { name: 'tier', position: 3, type: 'text', nullable: true },
    ],
    primaryKey: ['id'],
  },
  sourceName: 'public.customers',
  schema: 'public',
  name: 'customers',
  columns: ['id', 'name', 'tier'].map((name) => ({
    source: name,
    name,
    type: name === 'id' ? 'integer' : 'text',
    nullable: name !== 'id',
    unsigned: false,
  })),
  primaryKey: ['id'],
};
const MISSING_COLUMN = /column "tier" of relation "customers" does not exist/;

let db: TestDatabase;
let client: pg.Client;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  await db.query('CREATE TABLE public.customers (id integer PRIMARY KEY, name text)');
});
afterAll(async () => {
  await db?.[Symbol.asyncDispose]();
});
beforeEach(async () => {
  unhandled.length = 0;
  process.on('unhandledRejection', recordUnhandled);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterEach(async () => {
  process.off('unhandledRejection', recordUnhandled);
  await client.end();
});

/** A source that sends its first batch only after `delayMs`, and whether it was closed. */
function slowSource<T>(delayMs: number, first: T) {
  const seen = { closed: false };
  async function* batches() {
    try {
      await sleep(delayMs);
      yield first;
    } finally {
      seen.closed = true;
    }
  }
  return { batches: batches(), seen };
}

describe('copyRows and copyText', () => {
  it('reject with the COPY’s error when it fails before the first batch arrives, leaving nothing unhandled', async () => {
    const source = slowSource(1_500, [{ id: 1, name: 'a', tier: 'gold' }]);
    const started = Date.now();
    await expect(copyRows(client, TABLE, source.batches)).rejects.toThrow(MISSING_COLUMN);
    expect(Date.now() - started).toBeLessThan(1_500);
    await sleep(1_700);
    expect(unhandled).toEqual([]);
    expect(source.seen.closed).toBe(true);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('copyText rejects the same way for COPY text from a slow source', async () => {
    const source = slowSource(1_500, Buffer.from('1\ta\tgold\n'));
    await expect(copyText(client, TABLE, source.batches)).rejects.toThrow(MISSING_COLUMN);
    await sleep(1_700);
    expect(unhandled).toEqual([]);
  });

  it('reject with the COPY’s error when the source has sent its batches already', async () => {
    const batches = (async function* () {
      yield [{ id: 1, name: 'a', tier: 'gold' }];
    })();
    await expect(copyRows(client, TABLE, batches)).rejects.toThrow(MISSING_COLUMN);
    expect(unhandled).toEqual([]);
  });

  it('copy every row into a table that has the columns', async () => {
    await db.query('CREATE TABLE public.accounts (id integer PRIMARY KEY, name text, tier text)');
    const accounts = { ...TABLE, name: 'accounts' };
    const batches = (async function* () {
      yield [{ id: 1, name: 'a', tier: 'gold' }];
      await sleep(50);
      yield [{ id: 2, name: 'b', tier: null }];
    })();
    expect(await copyRows(client, accounts, batches)).toBe(2);
    const { rows } = await db.query('SELECT id, name, tier FROM public.accounts ORDER BY id');
    expect(rows).toEqual([
      { id: 1, name: 'a', tier: 'gold' },
      { id: 2, name: 'b', tier: null },
    ]);
  });
});
