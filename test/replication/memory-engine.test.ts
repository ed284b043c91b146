import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropMemoryDatabase, MemoryDatabase, registerMemoryDatabase } from '../../plugins/memory/index.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

let target: TestDatabase;
let server: TestServer;
let source: MemoryDatabase;

const STATE =
  'query ($n: String!) { connector(name: $n) { active state { stage state error offset } stats { creates updates deletes snapshotRows badEvents } } }';
const state = async (name: string) =>
  (
    await gql<{
      connector: {
        active: boolean;
        state: { stage: string; state: string; error: string | null; offset: string | null };
        stats: Record<string, number>;
      };
    }>(server.url, STATE, { n: name })
  ).data?.connector;
const rows = async (sql: string) => (await target.query(sql)).rows;

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  server = await startTestServer(target.url);
  source = registerMemoryDatabase(new MemoryDatabase('shop'));
  source.createTable('orders', {
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'Item Name', type: 'text' },
      { name: 'price', type: 'decimal(12,2)' },
    ],
    primaryKey: ['id'],
  });
  source.insert('orders', [
    { id: 1, 'Item Name': 'apple', price: '1.10' },
    { id: 2, 'Item Name': 'pear', price: '2.20' },
  ]);
  await gql(
    server.url,
    'mutation { addConnector(input: { name: "mem", type: "memory", host: "h", port: 1, user: "u", password: "p", database: "shop" }) { name } }',
  );
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
  dropMemoryDatabase('shop');
});

describe('the engine on the memory source', () => {
  it('copies the tables then streams changes into them', async () => {
    const started = await gql(server.url, 'mutation { startConnector(name: "mem") { name active } }');
    expect(started.errors).toBeUndefined();
    await waitFor('CDC', async () =>
      (await state('mem'))?.state.stage === 'CHANGE_DATA_CAPTURE' ? true : undefined,
    );
    expect(await rows('SELECT id, "item name", price::text FROM shop.orders ORDER BY id')).toEqual([
      { id: 1, 'item name': 'apple', price: '1.10' },
      { id: 2, 'item name': 'pear', price: '2.20' },
    ]);
    source.insert('orders', { id: 3, 'Item Name': 'plum', price: '3.30' });
    source.update('orders', { id: 1 }, { price: '1.15' });
    source.delete('orders', { id: 2 });
    source.update('orders', { id: 3 }, { id: 4 });
    await waitFor('changes applied', async () => {
      const current = await rows('SELECT id, price::text FROM shop.orders ORDER BY id');
      return JSON.stringify(current) ===
        JSON.stringify([
          { id: 1, price: '1.15' },
          { id: 4, price: '3.30' },
        ])
        ? true
        : undefined;
    });
    const after = await state('mem');
    expect(after?.stats).toMatchObject({ creates: 1, updates: 2, deletes: 1, snapshotRows: 2, badEvents: 0 });
    expect(after?.state.offset).toBe(source.headSequence.toString().padStart(16, '0'));
  });

  it('reports an UPDATE of a row missing at the destination as a bad event and stops under EXIT', async () => {
    await target.query('DELETE FROM shop.orders WHERE id = 4');
    source.update('orders', { id: 4 }, { price: '9.99' });
    const stopped = await waitFor('stop', async () => {
      const current = await state('mem');
      return current?.state.state === 'STOPPED' ? current : undefined;
    });
    expect(stopped.state.error).toMatch(
      /UPDATE of a row missing at the destination shop.orders with key \["4"\]/,
    );
  });
});
