import { describe, expect, inject, it } from 'vitest';
import type { TableRef } from '../../core/plugin/index.js';
import type { ContractColumn, ContractTarget } from '../contract/index.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

export interface ScenarioHooks {
  /**
   * Whether the source still holds the capture (slot, publication) the connector created. Absent
   * for sources that create nothing (MySQL reads the binary log the server keeps anyway).
   */
  readonly captureExists?: (harness: EngineHarness, connector: string) => Promise<boolean>;
  /** Makes a table without a primary key capturable (PostgreSQL: REPLICA IDENTITY FULL). */
  readonly prepareKeylessTable?: (harness: EngineHarness, table: TableRef) => Promise<void>;
  /**
   * Whether the source can truncate a captured table (the contract suite's option of the same
   * name). False for SQL Server, which refuses TRUNCATE on a CDC-enabled table (Msg 4711): where
   * the scenarios truncate, the source must refuse it, and the table is emptied the way that
   * applies there — one transaction deleting every row, arriving as deletes. Default true.
   */
  readonly truncate?: boolean;
  /**
   * Whether the source has a boolean column type (the contract option of the same name). False for
   * Oracle before 23ai: the added-column scenario then adds an integer column. Default true.
   */
  readonly booleanColumns?: boolean;
}

const ITEMS: readonly ContractColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'price', type: 'decimal' },
];
const CDC = 'CHANGE_DATA_CAPTURE';

/**
 * The engine's behaviour end to end — every snapshot mode and lifecycle operation — against any
 * source plugin, through the GraphQL API, checked row by row at the destination.
 */
export function describeEngineScenarios(
  title: string,
  setup: () => Promise<ContractTarget>,
  hooks: ScenarioHooks,
): void {
  const open = () => EngineHarness.open(inject('targetClusterUrl'), setup);
  const items = (harness: EngineHarness, name = 'items') => harness.source.createTable(name, ITEMS, ['id']);

  describe(`engine scenarios: ${title}`, () => {
    it('INITIAL copies existing rows, then applies inserts, updates, key changes, deletes and truncates (or deletes of every row where the source cannot truncate)', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [
        { id: 1, name: 'apple', price: '1.10' },
        { id: 2, name: 'pear', price: '2.20' },
      ]);
      await h.addConnector('c1', { tables: [table] });
      await h.lifecycle('startConnector', 'c1');
      await h.waitForState('c1', CDC, 'POLLING');
      expect(await h.rows(table)).toEqual([
        { id: 1, name: 'apple', price: '1.10' },
        { id: 2, name: 'pear', price: '2.20' },
      ]);
      await h.source.transaction([
        { op: 'insert', table, rows: [{ id: 3, name: 'plum', price: '3.30' }] },
        { op: 'update', table, key: { id: 1 }, values: { price: '1.15' } },
      ]);
      await h.source.update(table, { id: 2 }, { id: 20 });
      await h.source.delete(table, { id: 3 });
      await h.waitForRows(table, [
        { id: 1, name: 'apple', price: '1.15' },
        { id: 20, name: 'pear', price: '2.20' },
      ]);
      const truncates = hooks.truncate ?? true;
      if (truncates) await h.source.truncate(table);
      else {
        await expect(h.source.truncate(table)).rejects.toThrow();
        await h.source.transaction([
          { op: 'delete', table, key: { id: 1 } },
          { op: 'delete', table, key: { id: 20 } },
        ]);
      }
      await h.waitForRows(table, []);
      const view = await h.view('c1');
      expect(view.stats).toMatchObject({
        snapshotTables: 1,
        snapshotRows: 2,
        creates: 1,
        updates: 2,
        deletes: truncates ? 1 : 3,
        truncates: truncates ? 1 : 0,
      });
      expect(view.state.offset).not.toBeNull();
      const reset = await h.lifecycle('resetStats', 'c1');
      expect(reset.stats).toMatchObject({
        snapshotTables: 0,
        snapshotRows: 0,
        creates: 0,
        updates: 0,
        totalEvents: 0,
      });
      expect(reset.state.offset).toBe(view.state.offset);
    });

    it('INITIAL_ONLY copies the tables and stops without streaming', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00' }]);
      await h.addConnector('c2', { tables: [table] });
      await h.lifecycle('startConnector', 'c2', ', mode: INITIAL_ONLY');
      // STOPPED is also the state before the job starts: wait for the job to end (inactive)
      const view = await waitFor('INITIAL_ONLY to finish', async () => {
        const current = await h.view('c2');
        return current.state.state === 'STOPPED' && !current.active ? current : undefined;
      });
      expect(view.state.stage).toBe('INITIAL_SNAPSHOT');
      expect(view.active).toBe(false);
      expect(view.state.error).toBeNull();
      expect(await h.rows(table)).toEqual([{ id: 1, name: 'a', price: '1.00' }]);
    });

    it('NO_DATA creates empty tables and applies only later changes', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'old', price: '1.00' }]);
      await h.addConnector('c3', { tables: [table] });
      await h.lifecycle('startConnector', 'c3', ', mode: NO_DATA');
      await h.waitForState('c3', CDC, 'POLLING');
      expect(await h.rows(table)).toEqual([]);
      await h.source.insert(table, [{ id: 2, name: 'new', price: '2.00' }]);
      await h.waitForRows(table, [{ id: 2, name: 'new', price: '2.00' }]);
    });

    it('NEVER refuses a missing destination table, and streams into an existing one', async () => {
      await using h = await open();
      const table = await items(h);
      await h.addConnector('c4', { tables: [table] });
      await h.lifecycle('startConnector', 'c4', ', mode: NEVER');
      const failed = await waitFor('NEVER to fail', async () => {
        const view = await h.view('c4');
        return view.state.state === 'STOPPED' && view.state.error ? view : undefined;
      });
      expect(failed.state.error).toMatch(
        /destination table .* does not exist; NEVER replicates into existing tables/,
      );
      const schema = table.database.toLowerCase();
      await h.target.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await h.target.query(
        `CREATE TABLE ${h.destination(table)} (id integer PRIMARY KEY, name text, price numeric(12,2))`,
      );
      await h.lifecycle('startConnector', 'c4', ', mode: NEVER');
      await h.waitForState('c4', CDC, 'POLLING');
      await h.source.insert(table, [{ id: 7, name: 'seven', price: '7.00' }]);
      await h.waitForRows(table, [{ id: 7, name: 'seven', price: '7.00' }]);
    });

    it('ALWAYS with snapshotTables copies only the added table while the others keep their data', async () => {
      await using h = await open();
      const first = await items(h, 'first');
      const second = await items(h, 'second');
      await h.source.insert(first, [{ id: 1, name: 'f', price: '1.00' }]);
      await h.source.insert(second, [{ id: 1, name: 's', price: '1.00' }]);
      await h.addConnector('c5', { tables: [first] });
      await h.lifecycle('startConnector', 'c5');
      await h.waitForState('c5', CDC, 'POLLING');
      await h.target.query(`INSERT INTO ${h.destination(first)} VALUES (99, 'kept at destination', 0)`);
      await h.graphql(
        'mutation ($n: String!, $i: UpdateConnectorInput!) { updateConnector(name: $n, input: $i) { name } }',
        {
          n: 'c5',
          i: { tables: [h.qualified(first), h.qualified(second)], snapshotTables: [h.qualified(second)] },
        },
      );
      await h.source.insert(second, [{ id: 2, name: 's2', price: '2.00' }]);
      await h.lifecycle('restartConnector', 'c5', ', mode: ALWAYS');
      await h.waitForRows(second, [
        { id: 1, name: 's', price: '1.00' },
        { id: 2, name: 's2', price: '2.00' },
      ]);
      await h.waitForState('c5', CDC, 'POLLING');
      await h.source.insert(first, [{ id: 2, name: 'f2', price: '2.00' }]);
      await h.source.insert(second, [{ id: 3, name: 's3', price: '3.00' }]);
      await h.waitForRows(first, [
        { id: 1, name: 'f', price: '1.00' },
        { id: 2, name: 'f2', price: '2.00' },
        { id: 99, name: 'kept at destination', price: '0.00' },
      ]);
      await h.waitForRows(second, [
        { id: 1, name: 's', price: '1.00' },
        { id: 2, name: 's2', price: '2.00' },
        { id: 3, name: 's3', price: '3.00' },
      ]);
    });

    it('SCHEMASYNC builds the tables, pauses for review, and resumes with CDC only', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'existing', price: '1.00' }]);
      await h.addConnector('c6', { tables: [table] });
      await h.lifecycle('startConnector', 'c6', ', mode: SCHEMASYNC');
      await h.waitForState('c6', 'SCHEMA_SYNC', 'PAUSED');
      expect(await h.rows(table)).toEqual([]);
      const attributes = await h.graphql<{
        connector: { attributes: { sourceColumn: string; destinationType: string }[] };
      }>('{ connector(name: "c6") { attributes { sourceColumn destinationType } } }');
      expect(attributes.connector.attributes.map((a) => a.sourceColumn)).toEqual(['id', 'name', 'price']);
      await h.source.insert(table, [{ id: 2, name: 'during review', price: '2.00' }]);
      await h.lifecycle('resumeConnector', 'c6');
      await h.waitForState('c6', CDC, 'POLLING');
      await h.waitForRows(table, [{ id: 2, name: 'during review', price: '2.00' }]);
    });

    it('replicates tables without a primary key and names with spaces and mixed case', async () => {
      await using h = await open();
      const odd = await h.source.createTable(
        'Order Items',
        [
          { name: 'Line No', type: 'integer' },
          { name: 'Note', type: 'text' },
        ],
        [],
      );
      await hooks.prepareKeylessTable?.(h, odd);
      await h.source.insert(odd, [
        { 'Line No': 1, Note: 'x' },
        { 'Line No': 1, Note: 'x' },
        { 'Line No': 2, Note: 'y' },
      ]);
      await h.addConnector('c7', { tables: [odd] });
      await h.lifecycle('startConnector', 'c7');
      await h.waitForState('c7', CDC, 'POLLING');
      await h.source.update(odd, { 'Line No': 2 }, { Note: 'y2' });
      await h.source.delete(odd, { 'Line No': 1 });
      await h.source.insert(odd, [{ 'Line No': 3, Note: 'z' }]);
      const expected = await waitFor('keyless changes', async () => {
        const rows = await h.rows(odd, '"line no", "note"', '"line no", "note"');
        return rows.length === 2 && rows[0]?.note === 'y2' ? rows : undefined;
      });
      // the DELETE matched both identical rows at the source, so both go at the destination
      expect(expected).toEqual([
        { 'line no': 2, note: 'y2' },
        { 'line no': 3, note: 'z' },
      ]);
    });

    it('adds a column added at the source before applying the rows that use it', async () => {
      await using h = await open();
      const table = await items(h);
      await h.addConnector('c8', { tables: [table] });
      await h.lifecycle('startConnector', 'c8');
      await h.waitForState('c8', CDC, 'POLLING');
      const [type, value] =
        hooks.booleanColumns === false ? (['integer', 7] as const) : (['boolean', true] as const);
      await h.source.addColumn(table, { name: 'in_stock', type });
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00', in_stock: value }]);
      await h.waitForRows(table, [{ id: 1, name: 'a', price: '1.00', in_stock: value }]);
      expect((await h.view('c8')).stats.ddls).toBeGreaterThanOrEqual(1);
    });

    it('pauses and resumes, and setOffset works only while paused', async () => {
      await using h = await open();
      const table = await items(h);
      await h.addConnector('c9', { tables: [table] });
      await h.lifecycle('startConnector', 'c9');
      await h.waitForState('c9', CDC, 'POLLING');
      await expect(h.lifecycle('setOffset', 'c9', ', offset: "0"')).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      await expect(h.lifecycle('resumeConnector', 'c9')).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await h.source.insert(table, [{ id: 1, name: 'before pause', price: '1.00' }]);
      await h.waitForRows(table, [{ id: 1, name: 'before pause', price: '1.00' }]);
      const paused = await h.lifecycle('pauseConnector', 'c9');
      expect(paused.state.state).toBe('PAUSED');
      await h.source.insert(table, [{ id: 2, name: 'skipped by setOffset', price: '2.00' }]);
      const offset = await h.currentOffset([table]);
      await h.source.insert(table, [{ id: 3, name: 'after the offset', price: '3.00' }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await h.rows(table, 'id')).toEqual([{ id: 1 }]);
      await expect(h.lifecycle('setOffset', 'c9', ', offset: "not an offset"')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      const set = await h.graphql<{ setOffset: { state: { state: string; offset: string } } }>(
        'mutation ($n: String!, $o: String!) { setOffset(name: $n, offset: $o) { state { state offset } } }',
        { n: 'c9', o: offset },
      );
      expect(set.setOffset.state).toEqual({ state: 'PAUSED', offset });
      await h.lifecycle('resumeConnector', 'c9');
      await h.waitForRows(table, [
        { id: 1, name: 'before pause', price: '1.00' },
        { id: 3, name: 'after the offset', price: '3.00' },
      ]);
    });

    it('stops and starts again without a second snapshot', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00' }]);
      await h.addConnector('c10', { tables: [table] });
      await h.lifecycle('startConnector', 'c10');
      await h.waitForState('c10', CDC, 'POLLING');
      const stopped = await h.lifecycle('stopConnector', 'c10');
      expect(stopped).toMatchObject({ active: false, state: { state: 'STOPPED' } });
      await h.source.insert(table, [{ id: 2, name: 'while stopped', price: '2.00' }]);
      await h.lifecycle('startConnector', 'c10');
      await h.waitForRows(table, [
        { id: 1, name: 'a', price: '1.00' },
        { id: 2, name: 'while stopped', price: '2.00' },
      ]);
      expect((await h.view('c10')).stats).toMatchObject({ snapshotTables: 1, snapshotRows: 1, creates: 1 });
      await expect(h.lifecycle('startConnector', 'c10')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    it('relaunches active connectors when the server restarts, and a paused one stays paused', async () => {
      await using h = await open();
      const table = await items(h, 'relaunched');
      const other = await items(h, 'held');
      await h.addConnector('run', { tables: [table] });
      await h.addConnector('hold', { tables: [other] });
      await h.lifecycle('startConnector', 'run');
      await h.lifecycle('startConnector', 'hold');
      await h.waitForState('run', CDC, 'POLLING');
      await h.waitForState('hold', CDC, 'POLLING');
      await h.lifecycle('pauseConnector', 'hold');
      await h.restartServer();
      await h.source.insert(table, [{ id: 1, name: 'after restart', price: '1.00' }]);
      await h.source.insert(other, [{ id: 1, name: 'not yet', price: '1.00' }]);
      await h.waitForRows(table, [{ id: 1, name: 'after restart', price: '1.00' }]);
      const held = await h.view('hold');
      expect(held).toMatchObject({ active: true, state: { state: 'PAUSED' } });
      expect(await h.rows(other)).toEqual([]);
    });

    it('streams state changes and applied changes to subscribers', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00' }]);
      await h.addConnector('c11', { tables: [table] });
      const client = wsClient(h.server.url);
      try {
        await using states = subscribe<{
          connectorStateChanged: { state: { stage: string; state: string } };
        }>(client, 'subscription { connectorStateChanged(name: "c11") { state { stage state } } }');
        await using changes = subscribe<{ changes: { op: string; sourceTable: string; after: unknown } }>(
          client,
          'subscription { changes(connector: "c11") { op sourceTable destinationTable after offset } }',
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await h.lifecycle('startConnector', 'c11');
        const seen: string[] = [];
        await waitFor('stages', async () => {
          const [next] = await states.take(1);
          const stage = next?.data?.connectorStateChanged.state.stage;
          if (stage && seen.at(-1) !== stage) seen.push(stage);
          return seen.includes(CDC) ? true : undefined;
        });
        expect(seen.indexOf('INITIAL_SNAPSHOT')).toBeGreaterThanOrEqual(0);
        expect(seen.indexOf('INITIAL_SNAPSHOT')).toBeLessThan(seen.indexOf(CDC));
        await h.source.insert(table, [{ id: 2, name: 'b', price: '2.00' }]);
        const [change] = await changes.take(1);
        expect(change?.data?.changes).toMatchObject({
          op: 'INSERT',
          sourceTable: h.qualified(table),
          after: { id: 2, name: 'b' },
        });
      } finally {
        await client.dispose();
      }
    });

    it('skips a bad event into the dead letters under SKIP and keeps going', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00' }]);
      await h.addConnector('c12', { tables: [table], errorStrategy: 'SKIP' });
      await h.lifecycle('startConnector', 'c12');
      await h.waitForState('c12', CDC, 'POLLING');
      await h.target.query(`DELETE FROM ${h.destination(table)} WHERE id = 1`);
      await h.source.update(table, { id: 1 }, { name: 'gone at destination' });
      await h.source.insert(table, [{ id: 2, name: 'b', price: '2.00' }]);
      await h.waitForRows(table, [{ id: 2, name: 'b', price: '2.00' }]);
      const view = await h.view('c12');
      expect(view.stats.badEvents).toBe(1);
      expect(view.state.state).toBe('POLLING');
      const { rows } = await h.target.query(
        'SELECT source_table, error FROM tributary.dead_letters WHERE connector = $1',
        ['c12'],
      );
      expect(rows).toEqual([
        { source_table: h.qualified(table), error: expect.stringMatching(/UPDATE of a row missing/) },
      ]);
    });

    it('retries with back-off under RETRY and recovers by itself once the cause is gone', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00' }]);
      await h.addConnector('c14', { tables: [table], errorStrategy: 'RETRY' });
      await h.lifecycle('startConnector', 'c14');
      await h.waitForState('c14', CDC, 'POLLING');
      await h.target.query(`DELETE FROM ${h.destination(table)} WHERE id = 1`);
      await h.source.update(table, { id: 1 }, { name: 'b' });
      const retrying = await waitFor('a retry', async () => {
        const view = await h.view('c14');
        return view.state.state === 'RESTARTING' ? view : undefined;
      });
      expect(retrying.state.error).toMatch(/UPDATE of a row missing at the destination/);
      expect(retrying.active).toBe(true);
      await h.target.query(`INSERT INTO ${h.destination(table)} VALUES (1, 'restored', 0)`);
      await h.waitForRows(table, [{ id: 1, name: 'b', price: '1.00' }]);
      const recovered = await h.waitForState('c14', CDC, 'POLLING');
      expect(recovered.state.error).toBeNull();
    });

    it('deleteConnector removes the connector and its capture at the source, and keeps the replicated tables', async () => {
      await using h = await open();
      const table = await items(h);
      await h.source.insert(table, [{ id: 1, name: 'a', price: '1.00' }]);
      await h.addConnector('c13', { tables: [table] });
      await h.lifecycle('startConnector', 'c13');
      await h.waitForState('c13', CDC, 'POLLING');
      if (hooks.captureExists) expect(await hooks.captureExists(h, 'c13')).toBe(true);
      await h.graphql('mutation { deleteConnector(name: "c13") }');
      if (hooks.captureExists) expect(await hooks.captureExists(h, 'c13')).toBe(false);
      expect(await h.rows(table)).toEqual([{ id: 1, name: 'a', price: '1.00' }]);
      const left = await h.target.query(
        "SELECT count(*)::int AS n FROM tributary.connectors WHERE name = 'c13'",
      );
      expect(left.rows[0]?.n).toBe(0);
    });
  });
}

export type { TableRef };
