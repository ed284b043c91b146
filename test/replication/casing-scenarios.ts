import { describe, expect, inject, it } from 'vitest';
import type { Row, TableRef } from '../../core/plugin/index.js';
import type { ContractColumn, ContractTarget } from '../contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

/** A mixed-case table with a mixed-case and a lower-case column. */
const ORDERS: readonly ContractColumn[] = [
  { name: 'OrderNo', type: 'integer' },
  { name: 'note', type: 'text' },
];
const CDC = 'CHANGE_DATA_CAPTURE';

/** One destination table as the catalog spells it, its columns (and their types) in position order. */
interface LandedTable {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly types: readonly string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every user table in the target database (the engine's own `tributary` schema left out). */
async function landedTables(h: EngineHarness): Promise<LandedTable[]> {
  const { rows } = await h.target.query<{ schema: string; table: string; name: string; type: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'tributary')
        AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY n.nspname, c.relname, a.attnum`,
  );
  const tables: LandedTable[] = [];
  for (const row of rows) {
    const last = tables.at(-1);
    if (last && last.schema === row.schema && last.table === row.table) {
      tables[tables.length - 1] = {
        ...last,
        columns: [...last.columns, row.name],
        types: [...last.types, row.type],
      };
    } else {
      tables.push({ schema: row.schema, table: row.table, columns: [row.name], types: [row.type] });
    }
  }
  return tables;
}

/** Waits until `"schema"."table"` holds exactly `expected`, ordered by `orderBy` (compared as JSON). */
async function waitForLandedRows(
  h: EngineHarness,
  schema: string,
  table: string,
  orderBy: string,
  expected: readonly Row[],
): Promise<void> {
  const select = `SELECT * FROM ${quote(schema)}.${quote(table)} ORDER BY ${quote(orderBy)}`;
  let last: Row[] = [];
  try {
    await waitFor(`rows of ${schema}.${table}`, async () => {
      last = (await h.target.query(select).catch(() => ({ rows: [] as Row[] }))).rows;
      return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
    });
  } catch (error) {
    expect(last, (error as Error).message).toEqual(expected);
  }
}

/**
 * Creates `Orders` with one row, starts `connector` on it (after `beforeStart`, e.g. adding
 * rules), then inserts one row and updates another through CDC.
 */
async function replicateOrders(
  h: EngineHarness,
  connector: string,
  letterCasing: 'UPPERCASE' | 'ASIS',
  beforeStart: (table: TableRef) => Promise<void> = async () => {},
): Promise<TableRef> {
  const table = await h.source.createTable('Orders', ORDERS, ['OrderNo']);
  await h.source.insert(table, [
    { OrderNo: 1, note: 'snapshot' },
    { OrderNo: 2, note: 'snapshot, then updated' },
  ]);
  await h.addConnector(connector, { tables: [table], letterCasing });
  await beforeStart(table);
  await h.lifecycle('startConnector', connector);
  await h.waitForState(connector, CDC, 'POLLING');
  await h.source.insert(table, [{ OrderNo: 3, note: 'inserted' }]);
  await h.source.update(table, { OrderNo: 2 }, { note: 'updated' });
  return table;
}

/**
 * Letter casing end to end (docs/synchdb-compatibility.md §4.1): where schema, table and column names land
 * under UPPERCASE and ASIS, read back from the destination's catalog, for any source plugin. The destination
 * schema is the source database's name, so expected names derive from it.
 */
export function describeCasingScenarios(title: string, setup: () => Promise<ContractTarget>): void {
  const open = () => EngineHarness.open(inject('targetClusterUrl'), setup);

  describe(`letter casing scenarios: ${title}`, () => {
    it('UPPERCASE lands schema, table and columns upper-cased, in the snapshot and in CDC', async () => {
      await using h = await open();
      const table = await replicateOrders(h, 'casing_upper', 'UPPERCASE');
      const schema = table.database.toUpperCase();
      await waitForLandedRows(h, schema, 'ORDERS', 'ORDERNO', [
        { ORDERNO: 1, NOTE: 'snapshot' },
        { ORDERNO: 2, NOTE: 'updated' },
        { ORDERNO: 3, NOTE: 'inserted' },
      ]);
      expect(await landedTables(h)).toMatchObject([
        {
          schema,
          table: 'ORDERS',
          columns: ['ORDERNO', 'NOTE'],
        },
      ]);
    });

    it('ASIS lands schema, table and columns as the source spells them, in the snapshot and in CDC', async () => {
      await using h = await open();
      const table = await replicateOrders(h, 'casing_asis', 'ASIS');
      await waitForLandedRows(h, table.database, 'Orders', 'OrderNo', [
        { OrderNo: 1, note: 'snapshot' },
        { OrderNo: 2, note: 'updated' },
        { OrderNo: 3, note: 'inserted' },
      ]);
      expect(await landedTables(h)).toMatchObject([
        {
          schema: table.database,
          table: 'Orders',
          columns: ['OrderNo', 'note'],
        },
      ]);
    });

    it("UPPERCASE leaves a COLUMN rule's destination as written and applies an upper-case DATATYPE rule", async () => {
      await using h = await open();
      const rule = (kind: string, source: string, destination: string) =>
        h.graphql(
          `mutation ($s: String!, $d: String!) { addObjectMapping(connector: "casing_rules", kind: ${kind}, source: $s, destination: $d) { source } }`,
          { s: source, d: destination },
        );
      const table = await replicateOrders(h, 'casing_rules', 'UPPERCASE', async (orders) => {
        await rule('COLUMN', `${h.qualified(orders)}.note`, 'Remark');
        await rule('DATATYPE', `${h.qualified(orders)}.note`, 'VARCHAR|40');
      });
      const schema = table.database.toUpperCase();
      await waitForLandedRows(h, schema, 'ORDERS', 'ORDERNO', [
        { ORDERNO: 1, Remark: 'snapshot' },
        { ORDERNO: 2, Remark: 'updated' },
        { ORDERNO: 3, Remark: 'inserted' },
      ]);
      expect(await landedTables(h)).toMatchObject([
        {
          schema,
          table: 'ORDERS',
          columns: ['ORDERNO', 'Remark'],
          types: [expect.any(String), 'character varying(40)'],
        },
      ]);
    });
  });
}
