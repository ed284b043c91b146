import { describe, expect, inject, it } from 'vitest';
import type { Row, TableRef } from '../../core/plugin/index.js';
import type { ContractColumn, ContractTarget } from '../contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

const ITEMS: readonly ContractColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'price', type: 'decimal' },
];
const STOCK: readonly ContractColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'qty', type: 'integer' },
  { name: 'name', type: 'text' },
];
const CDC = 'CHANGE_DATA_CAPTURE';

export interface MappingHooks {
  /**
   * Absent for sources without auto-increment columns. Creates `<name>(order_number <the source's auto-increment integer> PRIMARY KEY, quantity integer)`
   * holding rows with quantity 5 and 6 (SynchDB's inventory.orders in small).
   */
  readonly createAutoIncrementTable: (h: EngineHarness, name: string) => Promise<TableRef>;
  /**
   * How the source types a contract `text` column, when not as `text`: the source type's name (as
   * a DATATYPE rule matches it), and its default destination type as the engine names it and as
   * PostgreSQL prints it. Oracle: `varchar2`, `varchar(4000)`, `character varying(4000)`.
   */
  readonly textType: { readonly source: string; readonly destination: string; readonly printed: string };
}

/** SynchDB's name for a table: `database.schema.table`, or `database.table` where there are no schemas. */
const synchdbName = (table: TableRef) =>
  table.schema === null
    ? `${table.database}.${table.name}`
    : `${table.database}.${table.schema}.${table.name}`;

/**
 * Object mapping end to end against any source plugin: TABLE, COLUMN, DATATYPE and TRANSFORM
 * rules in the snapshot and in CDC, reloading rules on a running connector, and the SCHEMASYNC
 * review, checked at the destination by name, type and row.
 */
export function describeMappingScenarios(
  title: string,
  setup: () => Promise<ContractTarget>,
  hooks: Partial<MappingHooks> = {},
): void {
  const open = () => EngineHarness.open(inject('targetClusterUrl'), setup);
  const text = hooks.textType ?? { source: 'text', destination: 'text', printed: 'text' };
  const rule = (h: EngineHarness, connector: string, kind: string, source: string, destination: string) =>
    h.graphql(
      `mutation ($c: String!, $s: String!, $d: String!) { addObjectMapping(connector: $c, kind: ${kind}, source: $s, destination: $d) { source } }`,
      { c: connector, s: source, d: destination },
    );
  const rows = (h: EngineHarness, table: string, order = 'id') =>
    h.target.query(`SELECT * FROM ${table} ORDER BY ${order}`).then((r) => r.rows as Row[]);
  const waitForRows = async (h: EngineHarness, table: string, expected: readonly Row[]) => {
    let last: Row[] = [];
    await waitFor(`rows of ${table}`, async () => {
      last = await rows(h, table).catch(() => []);
      return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
    }).catch((error: Error) => expect(last, error.message).toEqual(expected));
  };
  /** `column: format_type` of a destination table's columns, in order. */
  const types = async (h: EngineHarness, table: string) => {
    const { rows: found } = await h.target.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [table],
    );
    return found.map((column) => `${column.name}: ${column.type}`);
  };
  const reload = (h: EngineHarness, connector: string) =>
    h.graphql<{ reloadObjectMappings: { state: { stage: string; state: string } } }>(
      'mutation ($c: String!) { reloadObjectMappings(connector: $c) { state { stage state } } }',
      { c: connector },
    );

  describe(`mapping scenarios: ${title}`, () => {
    it('lands tables, columns and types where TABLE, COLUMN and DATATYPE rules say, in the snapshot and in CDC', async () => {
      await using h = await open();
      const goods = await h.source.createTable('goods', ITEMS, ['id']);
      const misc = await h.source.createTable('misc', ITEMS, ['id']);
      await h.source.insert(goods, [{ id: 1, name: 'apple', price: '1.10' }]);
      await h.source.insert(misc, [{ id: 1, name: 'x', price: '9.99' }]);
      await h.addConnector('m1', { tables: [goods, misc] });
      await rule(h, 'm1', 'TABLE', h.qualified(goods), 'shop.Goods');
      await rule(h, 'm1', 'TABLE', h.qualified(misc), 'misc_items');
      await rule(h, 'm1', 'COLUMN', `${h.qualified(goods)}.name`, 'Title');
      await rule(h, 'm1', 'DATATYPE', text.source, 'varchar|40');
      await rule(h, 'm1', 'DATATYPE', `${h.qualified(goods)}.price`, 'numeric|0');
      await rule(h, 'm1', 'DATATYPE', `${h.qualified(misc)}.price`, 'varchar|12');
      await h.lifecycle('startConnector', 'm1');
      await h.waitForState('m1', CDC, 'POLLING');
      await h.source.insert(goods, [{ id: 2, name: 'pear', price: '2.20' }]);
      await h.source.insert(misc, [{ id: 2, name: 'y', price: '0.50' }]);

      await waitFor('CDC rows under the mapped names', async () =>
        (await rows(h, '"shop"."Goods"').catch(() => [])).length === 2 ? true : undefined,
      );
      expect(await rows(h, '"shop"."Goods"')).toEqual([
        { id: 1, Title: 'apple', price: '1.10' },
        { id: 2, Title: 'pear', price: '2.20' },
      ]);
      await waitFor('misc rows', async () =>
        (await rows(h, 'public.misc_items')).length === 2 ? true : undefined,
      );
      expect(await rows(h, 'public.misc_items')).toEqual([
        { id: 1, name: 'x', price: '9.99' },
        { id: 2, name: 'y', price: '0.50' },
      ]);
      const types = await h.target.query<{ table: string; name: string; type: string }>(
        `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          WHERE c.oid IN ('"shop"."Goods"'::regclass, 'public.misc_items'::regclass) AND a.attnum > 1
          ORDER BY c.relname, a.attnum`,
      );
      expect(types.rows).toEqual([
        { table: 'Goods', name: 'Title', type: 'character varying(40)' },
        { table: 'Goods', name: 'price', type: 'numeric' },
        { table: 'misc_items', name: 'name', type: 'character varying(40)' },
        { table: 'misc_items', name: 'price', type: 'character varying(12)' },
      ]);
    });

    it('transforms numbers and text the same way in the snapshot and in CDC, and never transforms NULL', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [
        { id: 1, qty: 5, name: 'a' },
        { id: 2, qty: null, name: null },
        { id: 4, qty: 9, name: 'gone' },
      ]);
      await h.addConnector('t1', { tables: [stock] });
      await rule(h, 't1', 'TRANSFORM', `${q}.qty`, '%d + 1000000');
      await rule(h, 't1', 'TRANSFORM', `${q}.name`, "'>>' || %d || '<<'");
      await h.lifecycle('startConnector', 't1');
      await h.waitForState('t1', CDC, 'POLLING');
      await h.source.insert(stock, [{ id: 3, qty: 7, name: 'c' }]);
      await h.source.update(stock, { id: 1 }, { qty: 6, name: 'a2' });
      await h.source.delete(stock, { id: 4 });
      await h.waitForRows(stock, [
        { id: 1, qty: 1000006, name: '>>a2<<' },
        { id: 2, qty: null, name: null },
        { id: 3, qty: 1000007, name: '>>c<<' },
      ]);
      const { connector } = await h.graphql<{
        connector: { attributes: { sourceColumn: string; transform: string | null }[] };
      }>('{ connector(name: "t1") { attributes { sourceColumn transform } } }');
      expect(connector.attributes).toEqual([
        { sourceColumn: 'id', transform: null },
        { sourceColumn: 'qty', transform: '%d + 1000000' },
        { sourceColumn: 'name', transform: "'>>' || %d || '<<'" },
      ]);
    });

    it('applies transforms made of immutable functions, casts and CASE the same way in the snapshot and in CDC', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [
        { id: 1, qty: 5, name: 'a' },
        { id: 2, qty: 9, name: 'b' },
      ]);
      await h.addConnector('t5', { tables: [stock] });
      await rule(
        h,
        't5',
        'TRANSFORM',
        `${q}.qty`,
        'CASE WHEN %d > 6 THEN round(%d::numeric * 1.25, 0) ELSE %d END',
      );
      await rule(h, 't5', 'TRANSFORM', `${q}.name`, 'upper(%d)');
      await h.lifecycle('startConnector', 't5');
      await h.waitForState('t5', CDC, 'POLLING');
      await h.source.insert(stock, [{ id: 3, qty: 7, name: 'c' }]);
      await h.source.update(stock, { id: 1 }, { qty: 6, name: 'a2' });
      await h.waitForRows(stock, [
        { id: 1, qty: 6, name: 'A2' },
        { id: 2, qty: 11, name: 'B' },
        { id: 3, qty: 9, name: 'C' },
      ]);
    });

    it('refuses at start a stored TRANSFORM rule that is not a pure expression of the value, and runs nothing', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [{ id: 1, qty: 5, name: 'a' }]);
      await h.addConnector('t6', { tables: [stock] });
      // stored before transforms were confined: written straight into the metadata
      await h.target.query(
        `INSERT INTO tributary.mapping_rules (connector, kind, source, destination) VALUES ('t6', 'transform', $1, $2)`,
        [`${q}.name`, '%d || (SELECT relname FROM pg_class LIMIT 1)'],
      );
      await h.lifecycle('startConnector', 't6');
      const stopped = await h.waitForState('t6', 'INITIAL_SNAPSHOT', 'STOPPED');
      expect(stopped.state.error).toBe(
        `TRANSFORM rule ${q}.name: transform refused: subquery "(SELECT relname FROM pg_class LIMIT 1)" is not allowed; a transform may use the value %d, literals, operators, casts, CASE, COALESCE, NULLIF, GREATEST, LEAST and immutable functions; disable or change the rule, then start again`,
      );
      expect(await h.rows(stock).catch(() => [])).toEqual([]);
    });

    it('handles a value a transform fails on as a bad event naming the rule: SKIP records it and goes on', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [
        { id: 1, qty: 0, name: 'zero' },
        { id: 2, qty: 4, name: 'four' },
      ]);
      await h.addConnector('t2', { tables: [stock], errorStrategy: 'SKIP' });
      await rule(h, 't2', 'TRANSFORM', `${q}.qty`, '1000 / %d');
      await h.lifecycle('startConnector', 't2');
      await h.waitForState('t2', CDC, 'POLLING');
      await h.source.insert(stock, [{ id: 3, qty: 0, name: 'zero again' }]);
      await h.source.insert(stock, [{ id: 4, qty: 5, name: 'five' }]);
      await h.waitForRows(stock, [
        { id: 2, qty: 250, name: 'four' },
        { id: 4, qty: 200, name: 'five' },
      ]);
      const { rows: dead } = await h.target.query(
        `SELECT event->'after'->>'id' AS id, error FROM tributary.dead_letters WHERE connector = 't2' ORDER BY id`,
      );
      const reason = `TRANSFORM rule ${q}.qty (1000 / %d) failed on "0": division by zero`;
      expect(dead).toEqual([
        { id: '1', error: reason },
        { id: '3', error: reason },
      ]);
      expect((await h.view('t2')).stats.badEvents).toBe(2);
    });

    it('stops with the failing rule in the state under EXIT', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [
        { id: 1, qty: 3, name: 'three' },
        { id: 2, qty: 0, name: 'zero' },
      ]);
      await h.addConnector('t3', { tables: [stock] });
      await rule(h, 't3', 'TRANSFORM', `${q}.qty`, '1000 / %d');
      await h.lifecycle('startConnector', 't3');
      const stopped = await h.waitForState('t3', 'INITIAL_SNAPSHOT', 'STOPPED');
      expect(stopped.state.error).toBe(`TRANSFORM rule ${q}.qty (1000 / %d) failed on "0": division by zero`);
      expect(await h.rows(stock).catch(() => [])).toEqual([]);
    });

    it('reloads rules on a running connector: tables and columns move, old rows keep their values, new rows are transformed, nothing is lost', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [{ id: 1, qty: 5, name: 'a' }]);
      await h.addConnector('r1', { tables: [stock] });
      await h.lifecycle('startConnector', 'r1');
      await h.waitForState('r1', CDC, 'POLLING');
      await h.source.insert(stock, [{ id: 2, qty: 6, name: 'b' }]);
      await h.waitForRows(stock, [
        { id: 1, qty: 5, name: 'a' },
        { id: 2, qty: 6, name: 'b' },
      ]);
      await rule(h, 'r1', 'TABLE', q, 'moved.stock_v2');
      await rule(h, 'r1', 'COLUMN', `${q}.name`, 'label');
      await rule(h, 'r1', 'DATATYPE', `${q}.qty`, 'bigint');
      await rule(h, 'r1', 'TRANSFORM', `${q}.qty`, '%d + 1000000');
      // changes keep coming while the rules are reloaded: each must land exactly once
      const writing = (async () => {
        for (let id = 100; id < 140; id++) await h.source.insert(stock, [{ id, qty: 1, name: `w${id}` }]);
      })();
      const reloaded = await reload(h, 'r1');
      await writing;
      expect(reloaded.reloadObjectMappings.state.stage).toBe(CDC);
      await h.source.insert(stock, [{ id: 3, qty: 7, name: 'c' }]);
      await waitFor('the row after the reload', async () =>
        (await rows(h, 'moved.stock_v2').catch(() => [])).some((row) => row.id === 3) ? true : undefined,
      );
      expect(await types(h, 'moved.stock_v2')).toEqual([
        'id: integer',
        'qty: bigint',
        `label: ${text.printed}`,
      ]);
      const landed = await rows(h, 'moved.stock_v2');
      expect(landed.filter((row) => Number(row.id) < 100)).toEqual([
        { id: 1, qty: '5', label: 'a' },
        { id: 2, qty: '6', label: 'b' },
        { id: 3, qty: '1000007', label: 'c' },
      ]);
      const written = landed.filter((row) => Number(row.id) >= 100);
      expect(written.map((row) => row.id)).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
      for (const row of written) expect(['1', '1000001']).toContain(row.qty);
      expect(await h.target.query(`SELECT to_regclass('${h.destination(stock)}') AS old`)).toMatchObject({
        rows: [{ old: null }],
      });
    });

    it('refuses a reload the data does not allow, changes nothing, and keeps the connector running', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.source.insert(stock, [{ id: 1, qty: 5, name: 'not a number' }]);
      await h.addConnector('r2', { tables: [stock] });
      await h.lifecycle('startConnector', 'r2');
      await h.waitForState('r2', CDC, 'POLLING');
      await rule(h, 'r2', 'DATATYPE', `${q}.name`, 'integer');
      await rule(h, 'r2', 'COLUMN', `${q}.qty`, 'quantity');
      const refused = await reload(h, 'r2').catch((error: Error & { code?: string }) => error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error & { code?: string }).code).toBe('INVALID_INPUT');
      expect((refused as Error).message).toMatch(
        new RegExp(
          `cannot be applied to ${q.replace('.', '\\.')} \\(.*column name type ${text.destination.replace(/[()]/g, '\\$&')} → integer\\): invalid input syntax for type integer`,
        ),
      );
      expect(await types(h, h.destination(stock))).toEqual([
        'id: integer',
        'qty: integer',
        `name: ${text.printed}`,
      ]);
      await h.waitForState('r2', CDC, 'POLLING');
      await h.source.insert(stock, [{ id: 2, qty: 6, name: 'still flowing' }]);
      await h.waitForRows(stock, [
        { id: 1, qty: 5, name: 'not a number' },
        { id: 2, qty: 6, name: 'still flowing' },
      ]);
    });

    it('accepts SynchDB-style database.schema.table names in tables and in TABLE, COLUMN, DATATYPE and TRANSFORM sources, and shows the canonical name', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const s = synchdbName(stock);
      await h.source.insert(stock, [{ id: 1, qty: 5, name: 'a' }]);
      await h.addConnector('n1', { tableNames: [s] });
      await rule(h, 'n1', 'TABLE', s, 'synch.stock');
      await rule(h, 'n1', 'COLUMN', `${s}.name`, 'label');
      await rule(h, 'n1', 'DATATYPE', `${s}.qty`, 'bigint');
      await rule(h, 'n1', 'TRANSFORM', `${s}.qty`, '%d + 500');
      await h.lifecycle('startConnector', 'n1');
      await h.waitForState('n1', CDC, 'POLLING');
      await h.source.insert(stock, [{ id: 2, qty: 6, name: 'b' }]);
      await waitForRows(h, 'synch.stock', [
        { id: 1, qty: '505', label: 'a' },
        { id: 2, qty: '506', label: 'b' },
      ]);
      expect(await types(h, 'synch.stock')).toEqual(['id: integer', 'qty: bigint', `label: ${text.printed}`]);
      const { connector } = await h.graphql<{
        connector: {
          tables: string[];
          snapshotTables: string[];
          attributes: { sourceTable: string; transform: string | null }[];
          mappings: { source: string; matched: boolean | null }[];
        };
      }>(
        '{ connector(name: "n1") { tables snapshotTables attributes { sourceTable transform } mappings { source matched } } }',
      );
      expect(connector.tables).toEqual([h.qualified(stock)]);
      expect(connector.snapshotTables).toEqual([h.qualified(stock)]);
      expect(connector.attributes).toEqual([
        { sourceTable: h.qualified(stock), transform: null },
        { sourceTable: h.qualified(stock), transform: '%d + 500' },
        { sourceTable: h.qualified(stock), transform: null },
      ]);
      expect(connector.mappings.every((mapping) => mapping.matched === true)).toBe(true);
    });

    it('reports a rule that matches nothing: unmatched in mappings once tables are replicated, then refused', async () => {
      await using h = await open();
      const stock = await h.source.createTable('stock', STOCK, ['id']);
      const q = h.qualified(stock);
      await h.addConnector('u1', { tables: [stock] });
      const mappings = async () =>
        (
          await h.graphql<{
            connector: {
              mappings: {
                kind: string;
                source: string;
                matched: boolean | null;
                unmatchedReason: string | null;
              }[];
            };
          }>('{ connector(name: "u1") { mappings { kind source matched unmatchedReason } } }')
        ).connector.mappings;
      // before anything is replicated a rule cannot be checked: accepted, matched unknown
      await rule(h, 'u1', 'COLUMN', `${q}.quantity`, 'amount');
      await rule(h, 'u1', 'DATATYPE', 'point', 'text');
      await rule(h, 'u1', 'TABLE', q, 'kept.stock');
      expect((await mappings()).map((m) => m.matched)).toEqual([null, null, null]);
      await h.lifecycle('startConnector', 'u1');
      await h.waitForState('u1', CDC, 'POLLING');
      expect(await mappings()).toEqual([
        {
          kind: 'COLUMN',
          source: `${q}.quantity`,
          matched: false,
          unmatchedReason: `table ${q} has no column quantity`,
        },
        {
          kind: 'DATATYPE',
          source: 'point',
          matched: false,
          unmatchedReason: 'no replicated column has the type point',
        },
        { kind: 'TABLE', source: q, matched: true, unmatchedReason: null },
      ]);
      const refused = await rule(h, 'u1', 'TRANSFORM', `${q}.qtty`, '%d + 1').catch(
        (error: Error & { code?: string }) => error,
      );
      expect((refused as Error & { code?: string }).code).toBe('INVALID_INPUT');
      expect((refused as Error).message).toContain(`table ${q} has no column qtty`);
      const missing = await rule(h, 'u1', 'TABLE', `${q}_nope`, 'x.y').catch((error: Error) => error);
      expect((missing as Error).message).toContain(`no replicated table is named ${q}_nope`);
      await rule(h, 'u1', 'TRANSFORM', `${synchdbName(stock)}.qty`, '%d + 1');
    });

    // sources without auto-increment columns (the memory source) have nothing to run it on
    const { createAutoIncrementTable } = hooks;
    if (createAutoIncrementTable)
      it('applies a column DATATYPE rule to an auto-increment column without |true, at start and at reload', async () => {
        await using h = await open();
        const orders = await createAutoIncrementTable(h, 'orders');
        const q = h.qualified(orders);
        await h.addConnector('a1', { tables: [orders] });
        await rule(h, 'a1', 'DATATYPE', `${q}.order_number`, 'bigint');
        await h.lifecycle('startConnector', 'a1');
        await h.waitForState('a1', CDC, 'POLLING');
        expect(await types(h, h.destination(orders))).toEqual(['order_number: bigint', 'quantity: integer']);

        const later = await createAutoIncrementTable(h, 'orders2');
        const q2 = h.qualified(later);
        await h.addConnector('a2', { tables: [later] });
        await h.lifecycle('startConnector', 'a2');
        await h.waitForState('a2', CDC, 'POLLING');
        expect(await types(h, h.destination(later))).toEqual(['order_number: integer', 'quantity: integer']);
        await rule(h, 'a2', 'DATATYPE', `${synchdbName(later)}.order_number`, 'bigint');
        await reload(h, 'a2');
        expect(await types(h, h.destination(later))).toEqual(['order_number: bigint', 'quantity: integer']);
        expect(await rows(h, h.destination(later), 'order_number')).toEqual([
          { order_number: '1', quantity: 5 },
          { order_number: '2', quantity: 6 },
        ]);
        expect(q2).not.toBe(q);
      });

    it('SCHEMASYNC: review the built tables, reload rules onto them, then resume with CDC or restart with ALWAYS', async () => {
      await using h = await open();
      const items = await h.source.createTable('items', ITEMS, ['id']);
      const q = h.qualified(items);
      await h.source.insert(items, [{ id: 1, name: 'existing', price: '1.00' }]);
      await h.addConnector('s1', { tables: [items] });
      await h.lifecycle('startConnector', 's1', ', mode: SCHEMASYNC');
      await h.waitForState('s1', 'SCHEMA_SYNC', 'PAUSED');
      const before = await h.graphql<{ connector: { attributes: Record<string, unknown>[] } }>(
        '{ connector(name: "s1") { attributes { sourceTable destinationTable sourceColumn destinationColumn destinationType } } }',
      );
      expect(before.connector.attributes.map((a) => a.destinationTable)).toEqual(
        Array(3).fill(h.destination(items).replaceAll('"', '')),
      );
      await rule(h, 's1', 'TABLE', q, 'review.goods');
      await rule(h, 's1', 'COLUMN', `${q}.name`, 'title');
      await rule(h, 's1', 'DATATYPE', `${q}.price`, 'text');
      const reloaded = await reload(h, 's1');
      expect(reloaded.reloadObjectMappings.state).toEqual({ stage: 'SCHEMA_SYNC', state: 'PAUSED' });
      expect(await types(h, 'review.goods')).toEqual([
        'id: integer',
        `title: ${text.printed}`,
        'price: text',
      ]);
      const after = await h.graphql<{ connector: { attributes: Record<string, unknown>[] } }>(
        '{ connector(name: "s1") { attributes { destinationTable destinationColumn destinationType } } }',
      );
      expect(after.connector.attributes).toEqual([
        { destinationTable: 'review.goods', destinationColumn: 'id', destinationType: 'integer' },
        { destinationTable: 'review.goods', destinationColumn: 'title', destinationType: text.printed },
        { destinationTable: 'review.goods', destinationColumn: 'price', destinationType: 'text' },
      ]);
      await h.source.insert(items, [{ id: 2, name: 'during review', price: '2.00' }]);
      await h.lifecycle('resumeConnector', 's1');
      await h.waitForState('s1', CDC, 'POLLING');
      await waitForRows(h, 'review.goods', [{ id: 2, title: 'during review', price: '2.00' }]);
      await h.lifecycle('restartConnector', 's1', ', mode: ALWAYS');
      await waitForRows(h, 'review.goods', [
        { id: 1, title: 'existing', price: '1.00' },
        { id: 2, title: 'during review', price: '2.00' },
      ]);
    });
  });
}

export type { TableRef };
