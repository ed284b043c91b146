import { describe, expect, inject, it } from 'vitest';
import type { TableRef } from '../../core/plugin/index.js';
import { OracleModelContractSource } from '../plugins/oracle/oracle-contract-source.js';
import { modelPlugin, QUICK_START, quickStartModel } from '../plugins/oracle/oracle-model.js';
import type { LogMinerModel } from '../support/logminer-model/logminer-model.js';
import type { ModelColumn } from '../support/logminer-model/model-types.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

const ref = (name: string): TableRef => ({ database: 'FREE', schema: 'DBZUSER', name });

async function open(model: LogMinerModel): Promise<EngineHarness> {
  return EngineHarness.open(inject('targetClusterUrl'), async () => ({
    plugin: modelPlugin(model),
    config: QUICK_START,
    source: new OracleModelContractSource(model),
  }));
}

/** `name type` of the destination table's columns, and its primary key; null when it does not exist. */
async function shape(h: EngineHarness, table: TableRef) {
  const name = h.destination(table);
  const { rows } = await h.target.query<{ column: string }>(
    `SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) AS column
       FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [name],
  );
  if (rows.length === 0) return null;
  const key = await h.target.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [name],
  );
  return { columns: rows.map((row) => row.column), primaryKey: key.rows.map((row) => row.name) };
}

async function waitForShape(h: EngineHarness, table: TableRef, expected: Awaited<ReturnType<typeof shape>>) {
  let last: Awaited<ReturnType<typeof shape>> = null;
  await waitFor(`shape of ${table.name}`, async () => {
    last = await shape(h, table);
    return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
  }).catch((error: Error) => expect(last, error.message).toEqual(expected));
}

const number = (name: string, precision?: number): ModelColumn => ({
  name,
  dataType: 'NUMBER',
  ...(precision === undefined ? {} : { precision, scale: 0 }),
  nullable: true,
});

// SynchDB's DDL test (test_002_ddl.py) on the LogMiner model: LogMiner emits DDL automatically;
// the plugin classifies it and re-describes the table from the catalog.
describe('Oracle DDL through the engine (LogMiner model)', () => {
  it('creates a table created at the source without a key, streams its rows, then applies ADD PRIMARY KEY, MODIFY NUMBER to NUMBER(10), ADD and DROP COLUMN, and DROP TABLE', async () => {
    const model = quickStartModel();
    await using h = await open(model);
    await h.addConnector('ddl');
    await h.lifecycle('startConnector', 'ddl');
    await h.waitForState('ddl', 'CHANGE_DATA_CAPTURE', 'POLLING');
    const orders = ref('ORDERS');
    expect(await shape(h, orders)).not.toBeNull();

    model.createTable(
      'CREATE TABLE TEST',
      [number('ID'), number('QTY'), { name: 'NOTE', dataType: 'VARCHAR2', charLength: 20, nullable: true }],
      [],
    );
    model.commit([{ op: 'insert', table: 'CREATE TABLE TEST', row: { ID: '1', QTY: '5', NOTE: 'a' } }]);
    const test = ref('CREATE TABLE TEST');
    await waitForShape(h, test, {
      columns: ['id numeric', 'qty numeric', 'note character varying(20)'],
      primaryKey: [],
    });
    await h.waitForRows(test, [{ id: '1', qty: '5', note: 'a' }], 'id::text AS id, qty::text AS qty, note');

    model.alterTable(
      'CREATE TABLE TEST',
      `alter table "DBZUSER"."CREATE TABLE TEST" add primary key ("ID");`,
      (t) => {
        t.primaryKey = ['ID'];
      },
    );
    await waitForShape(h, test, {
      columns: ['id numeric', 'qty numeric', 'note character varying(20)'],
      primaryKey: ['id'],
    });
    model.alterTable(
      'CREATE TABLE TEST',
      `alter table "DBZUSER"."CREATE TABLE TEST" modify "QTY" NUMBER(10);`,
      (t) => {
        t.columns = t.columns.map((c) => (c.name === 'QTY' ? number('QTY', 10) : c));
      },
    );
    await waitForShape(h, test, {
      columns: ['id numeric', 'qty bigint', 'note character varying(20)'],
      primaryKey: ['id'],
    });
    model.addColumn('CREATE TABLE TEST', {
      name: 'LABEL',
      dataType: 'VARCHAR2',
      charLength: 30,
      nullable: true,
    });
    model.alterTable(
      'CREATE TABLE TEST',
      `alter table "DBZUSER"."CREATE TABLE TEST" drop column "NOTE";`,
      (t) => {
        t.columns = t.columns.filter((c) => c.name !== 'NOTE');
      },
    );
    model.commit([
      { op: 'update', table: 'CREATE TABLE TEST', key: { ID: '1' }, values: { QTY: '6', LABEL: 'x' } },
      { op: 'insert', table: 'CREATE TABLE TEST', row: { ID: '2', QTY: '7', LABEL: 'y' } },
    ]);
    await waitForShape(h, test, {
      columns: ['id numeric', 'qty bigint', 'label character varying(30)'],
      primaryKey: ['id'],
    });
    await h.waitForRows(
      test,
      [
        { id: '1', qty: '6', label: 'x' },
        { id: '2', qty: '7', label: 'y' },
      ],
      'id::text AS id, qty::text AS qty, label',
    );

    model.dropTable('CREATE TABLE TEST');
    await waitForShape(h, test, null);
    model.commit([{ op: 'delete', table: 'ORDERS', key: { ORDER_NUMBER: '10004' } }]);
    await waitFor('the delete after the drop', async () =>
      (await h.rows(orders, 'order_number', 'order_number')).length === 3 ? true : undefined,
    );
    expect((await h.view('ddl')).state.state).toBe('POLLING');
  });
});
