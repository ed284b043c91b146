import { describe, expect, inject, it } from 'vitest';
import type { ContractColumn } from '../contract/index.js';
import { modelContractTarget } from '../plugins/sqlserver/model-contract-source.js';
import { EngineHarness } from './engine-harness.js';

const ORDERS: readonly ContractColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'purchaser', type: 'integer' },
  { name: 'quantity', type: 'integer' },
  { name: 'amount', type: 'decimal' },
  { name: 'order_date', type: 'timestamp' },
];

// SynchDB's SQL Server quick start, through the GraphQL API, with the source being the plugin →
// tedious → fake TDS server → CDC model, and the destination a real PostgreSQL.
describe('SQL Server quick start (CDC model behind the fake TDS server)', () => {
  it('copies testDB.dbo.orders INITIAL into testdb.orders, then applies every later change', async () => {
    await using h = await EngineHarness.open(inject('targetClusterUrl'), modelContractTarget);
    const orders = await h.source.createTable('orders', ORDERS, ['id']);
    await h.source.insert(orders, [
      { id: 10001, purchaser: 1001, quantity: 1, amount: '12.50', order_date: '2024-01-16 00:00:00' },
      { id: 10002, purchaser: 1002, quantity: 2, amount: '7.25', order_date: '2024-01-17 00:00:00' },
    ]);
    await h.addConnector('sqlserverconn', { tableNames: ['testDB.dbo.orders'] });
    await h.lifecycle('startConnector', 'sqlserverconn');
    await h.waitForState('sqlserverconn', 'CHANGE_DATA_CAPTURE', 'POLLING');
    expect(await h.rows(orders, 'id, purchaser, quantity, amount::text AS amount')).toEqual([
      { id: 10001, purchaser: 1001, quantity: 1, amount: '12.50' },
      { id: 10002, purchaser: 1002, quantity: 2, amount: '7.25' },
    ]);

    await h.source.transaction([
      {
        op: 'insert',
        table: orders,
        rows: [{ id: 10003, purchaser: 1003, quantity: 3, amount: '1.00', order_date: null }],
      },
      { op: 'update', table: orders, key: { id: 10001 }, values: { quantity: 5 } },
    ]);
    await h.source.update(orders, { id: 10002 }, { id: 10020 });
    await h.source.delete(orders, { id: 10003 });

    await h.waitForRows(
      orders,
      [
        { id: 10001, quantity: 5, amount: '12.50' },
        { id: 10020, quantity: 2, amount: '7.25' },
      ],
      'id, quantity, amount::text AS amount',
    );
    const view = await h.view('sqlserverconn');
    expect(view.stats).toMatchObject({
      snapshotTables: 1,
      snapshotRows: 2,
      creates: 1,
      updates: 2,
      deletes: 1,
    });
    expect(view.state.offset).toMatch(/^[0-9A-F]{20}$/);
  });
});
