import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import type { Row, RowChange } from '../../../core/plugin/index.js';
import { applyChanges, groupChanges, type PendingChange } from '../../../core/target/apply-changes.js';
import type { TargetTable } from '../../../core/target/target-table.js';
import { createTestDatabase } from '../../support/test-database.js';

const TABLE: TargetTable = {
  source: {
    ref: { database: 'src', schema: null, name: 'kv' },
    columns: [
      { name: 'k', position: 1, type: 'integer', nullable: false },
      { name: 'v', position: 2, type: 'text', nullable: true },
    ],
    primaryKey: ['k'],
  },
  sourceName: 'src.kv',
  schema: 'public',
  name: 'kv',
  columns: [
    { source: 'k', name: 'k', type: 'integer', nullable: false, unsigned: false },
    { source: 'v', name: 'v', type: 'text', nullable: true, unsigned: false },
  ],
  primaryKey: ['k'],
};

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid changes over a small key space (so keys repeat often), with the model they produce. */
function workload(
  seed: number,
  count: number,
  keys = 40,
): { changes: RowChange[]; model: Map<number, string> } {
  const next = random(seed);
  const model = new Map<number, string>();
  const changes: RowChange[] = [];
  const table = TABLE.source.ref;
  const base = { kind: 'change' as const, table, commitOffset: '1' };
  for (let i = 0; i < count; i++) {
    const k = Math.floor(next() * keys);
    const row = model.get(k);
    const dice = next();
    if (row === undefined) {
      model.set(k, `v${i}`);
      changes.push({ ...base, op: 'insert', after: { k, v: `v${i}` } });
    } else if (dice < 0.3) {
      model.delete(k);
      changes.push({ ...base, op: 'delete', before: { k } });
    } else if (dice < 0.5 && model.size < keys) {
      let to = Math.floor(next() * keys);
      while (model.has(to)) to = (to + 1) % keys;
      model.delete(k);
      model.set(to, row);
      changes.push({ ...base, op: 'update', before: { k }, after: { k: to, v: row } });
    } else {
      model.set(k, `u${i}`);
      changes.push({ ...base, op: 'update', before: { k }, after: { k, v: `u${i}` } });
    }
  }
  return { changes, model };
}

describe('applyChanges', () => {
  it('applies interleaved inserts, updates, key changes and deletes with the same effect as one by one', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE public.kv (k integer PRIMARY KEY, v text)');
      for (const seed of [1, 2, 3, 4, 5]) {
        await client.query('TRUNCATE public.kv');
        const { changes, model } = workload(seed, 2_000);
        const pending: PendingChange[] = changes.map((change) => ({ table: TABLE, change }));
        await client.query('BEGIN');
        expect(await applyChanges(client, pending, false)).toEqual([]);
        await client.query('COMMIT');
        const { rows } = await client.query<Row>('SELECT k, v FROM public.kv ORDER BY k');
        expect(rows).toEqual([...model].sort(([a], [b]) => a - b).map(([k, v]) => ({ k, v })));
      }
    } finally {
      await client.end();
    }
  });

  it('applies changes to many different rows with a handful of statements', () => {
    const { changes } = workload(9, 5_000, 1_000_000);
    const groups = groupChanges(changes.map((change) => ({ table: TABLE, change })));
    expect(groups.length).toBeLessThanOrEqual(12);
    expect(groups.reduce((sum, group) => sum + group.ops.length, 0)).toBe(5_000);
  });

  it('reports UPDATE and DELETE of missing rows as failures and applies the rest', async () => {
    await using db = await createTestDatabase(inject('targetClusterUrl'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(
        'CREATE TABLE public.kv (k integer PRIMARY KEY, v text); INSERT INTO public.kv VALUES (1, $$a$$)',
      );
      const base = { kind: 'change' as const, table: TABLE.source.ref, commitOffset: '1' };
      const changes: RowChange[] = [
        { ...base, op: 'update', before: { k: 1 }, after: { k: 1, v: 'b' } },
        { ...base, op: 'update', before: { k: 7 }, after: { k: 7, v: 'x' } },
        { ...base, op: 'delete', before: { k: 8 } },
      ];
      const failures = await applyChanges(
        client,
        changes.map((change) => ({ table: TABLE, change })),
        false,
      );
      expect(failures.map((failure) => failure.reason)).toEqual([
        'UPDATE of a row missing at the destination public.kv with key ["7"]',
        'DELETE of a row missing at the destination public.kv with key ["8"]',
      ]);
      expect((await client.query('SELECT v FROM public.kv')).rows).toEqual([{ v: 'b' }]);
    } finally {
      await client.end();
    }
  });
});
