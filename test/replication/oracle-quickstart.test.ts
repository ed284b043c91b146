import { describe, expect, inject, it } from 'vitest';
import type { TableRef } from '../../core/plugin/index.js';
import type { ContractTarget } from '../contract/index.js';
import { OracleModelContractSource } from '../plugins/oracle/oracle-contract-source.js';
import { modelPlugin, QUICK_START, quickStartModel } from '../plugins/oracle/oracle-model.js';
import { EngineHarness } from './engine-harness.js';

const ORDERS: TableRef = { database: 'FREE', schema: 'DBZUSER', name: 'ORDERS' };
const COLUMNS = `order_number::text AS order_number, order_date::text AS order_date, purchaser, quantity::text AS quantity, product_id::text AS product_id`;

const order = (n: string, date: string, purchaser: string, quantity: string, product: string) => ({
  order_number: n,
  order_date: date,
  purchaser,
  quantity,
  product_id: product,
});

// SynchDB's Oracle quick start (service FREE, common user c##dbzuser, DBZUSER.ORDERS with rows
// 10001–10004), through the GraphQL API, with the source being the plugin → session seam → LogMiner
// model, and the destination a real PostgreSQL.
describe('Oracle quick start (LogMiner model)', () => {
  it('copies DBZUSER.ORDERS INITIAL into free.orders with the default types, then applies every later change and DDL', async () => {
    const model = quickStartModel();
    const setup = async (): Promise<ContractTarget> => ({
      plugin: modelPlugin(model),
      config: QUICK_START,
      source: new OracleModelContractSource(model),
    });
    await using h = await EngineHarness.open(inject('targetClusterUrl'), setup);
    await h.addConnector('oracleconn', { tableNames: ['DBZUSER.ORDERS'] });
    await h.lifecycle('startConnector', 'oracleconn');
    await h.waitForState('oracleconn', 'CHANGE_DATA_CAPTURE', 'POLLING');
    expect(await h.rows(ORDERS, COLUMNS, 'order_number')).toEqual([
      order('10001', '2024-01-16 00:00:00', '1001', '1', '102'),
      order('10002', '2024-01-17 00:00:00', '1002', '2', '105'),
      order('10003', '2024-02-19 00:00:00', '1002', '2', '106'),
      order('10004', '2024-02-21 00:00:00', '1003', '1', '107'),
    ]);
    const { rows: types } = await h.target.query<{ column_name: string; type: string }>(
      `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a WHERE a.attrelid = '"free"."orders"'::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
    );
    expect(types).toEqual([
      { column_name: 'order_number', type: 'numeric' },
      { column_name: 'order_date', type: 'timestamp without time zone' },
      { column_name: 'purchaser', type: 'character varying(40)' },
      { column_name: 'quantity', type: 'numeric' },
      { column_name: 'product_id', type: 'numeric' },
    ]);

    const row = (n: string, quantity: string) => ({
      ORDER_NUMBER: n,
      ORDER_DATE: '2024-03-01 10:11:12',
      PURCHASER: "O'Brien",
      QUANTITY: quantity,
      PRODUCT_ID: '107',
    });
    model.commit([
      { op: 'insert', table: 'ORDERS', row: row('10005', '2.50') },
      { op: 'update', table: 'ORDERS', key: { ORDER_NUMBER: '10001' }, values: { QUANTITY: '5' } },
    ]);
    model.commit([{ op: 'delete', table: 'ORDERS', key: { ORDER_NUMBER: '10003' } }]);
    model.commit([
      { op: 'update', table: 'ORDERS', key: { ORDER_NUMBER: '10002' }, values: { ORDER_NUMBER: '10020' } },
    ]);
    model.addColumn('ORDERS', { name: 'NOTE', dataType: 'VARCHAR2', charLength: 100, nullable: true });
    model.commit([{ op: 'insert', table: 'ORDERS', row: { ...row('10006', '1'), NOTE: 'after DDL' } }]);

    await h.waitForRows(
      ORDERS,
      [
        { order_number: '10001', quantity: '5', note: null },
        { order_number: '10004', quantity: '1', note: null },
        { order_number: '10005', quantity: '2.5', note: null },
        { order_number: '10006', quantity: '1', note: 'after DDL' },
        { order_number: '10020', quantity: '2', note: null },
      ],
      'order_number::text AS order_number, quantity::text AS quantity, note',
      'order_number',
    );
    expect(await h.rows(ORDERS, `${COLUMNS}`, 'order_number')).toContainEqual(
      order('10005', '2024-03-01 10:11:12', "O'Brien", '2.5', '107'),
    );
    const view = await h.view('oracleconn');
    expect(view.stats).toMatchObject({
      snapshotTables: 1,
      snapshotRows: 4,
      creates: 2,
      updates: 2,
      deletes: 1,
    });
    expect(view.stats.ddls).toBeGreaterThanOrEqual(1);
    expect(view.state.offset).toMatch(/^\d{20}(:[0-9A-F]{16})?;from=\d{20}$/);
  });
});
