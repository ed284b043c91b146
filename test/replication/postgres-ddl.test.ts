import { describe, expect, inject, it } from 'vitest';
import type { TableRef } from '../../core/plugin/index.js';
import {
  type PostgresContractSource,
  postgresContractTarget,
} from '../plugins/postgres/postgres-contract-source.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

const open = (options: Record<string, unknown> = {}) =>
  EngineHarness.open(inject('targetClusterUrl'), async () => {
    const target = await postgresContractTarget();
    const config = { ...target.config, options: { ...(target.config.options as object), ...options } };
    return { ...target, config };
  });
const sourceDb = (h: EngineHarness) => (h.source as PostgresContractSource).database;
const ref = (h: EngineHarness, name: string): TableRef => ({
  database: sourceDb(h).name,
  schema: 'public',
  name,
});

interface ColumnShape {
  name: string;
  type: string;
  nullable: boolean;
}

/** The destination table's columns (`type` as format_type prints it) and primary key, or null when absent. */
async function shape(h: EngineHarness, table: TableRef) {
  const name = h.destination(table);
  const columns = await h.target.query<ColumnShape>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
     FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [name],
  );
  if (columns.rows.length === 0) return null;
  const key = await h.target.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [name],
  );
  return { columns: columns.rows, primaryKey: key.rows.map((row) => row.name) };
}

/** Waits until the destination table has `expected` (null: does not exist), with no change at the source after the DDL. */
async function waitForShape(h: EngineHarness, table: TableRef, expected: Awaited<ReturnType<typeof shape>>) {
  let last: Awaited<ReturnType<typeof shape>> = null;
  try {
    await waitFor(`shape of ${table.name}`, async () => {
      last = await shape(h, table);
      return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
    });
  } catch (error) {
    expect(last, (error as Error).message).toEqual(expected);
  }
}

async function started(h: EngineHarness, name: string) {
  await h.source.createTable('seed', [{ name: 'id', type: 'integer' }], ['id']);
  await h.addConnector(name);
  await h.lifecycle('startConnector', name);
  await h.waitForState(name, 'CHANGE_DATA_CAPTURE', 'POLLING');
}

const col = (name: string, type: string, nullable = true): ColumnShape => ({ name, type, nullable });

describe('PostgreSQL source DDL capture through the engine', () => {
  it('creates a table created at the source, named with a space, before any row arrives, then streams its rows', async () => {
    await using h = await open();
    await started(h, 'create');
    const items = ref(h, 'Order Items');

    await sourceDb(h).query(
      'CREATE TABLE public."Order Items" (id integer PRIMARY KEY, note varchar(20) NOT NULL, price numeric(8,2))',
    );

    await waitForShape(h, items, {
      columns: [
        col('id', 'integer', false),
        col('note', 'character varying(20)', false),
        col('price', 'numeric(8,2)'),
      ],
      primaryKey: ['id'],
    });
    await sourceDb(h).query(`INSERT INTO public."Order Items" VALUES (1, 'one', 1.50), (2, 'two', NULL)`);
    await h.waitForRows(items, [
      { id: 1, note: 'one', price: '1.50' },
      { id: 2, note: 'two', price: null },
    ]);
  });

  it('streams the rows written in the transaction that creates the table, through the schema-wide publication', async () => {
    await using h = await open();
    await started(h, 'sametx');
    const schemas = () =>
      sourceDb(h).query(
        `SELECT n.nspname FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid
         JOIN pg_publication p ON p.oid = pn.pnpubid WHERE p.pubname = 'tributary_sametx'`,
      );
    // the stream makes the publication schema-wide when it starts
    await waitFor('the schema-wide publication', async () =>
      (await schemas()).rows.length > 0 ? true : undefined,
    );
    expect((await schemas()).rows).toEqual([{ nspname: 'public' }]);

    await sourceDb(h).query(`BEGIN;
      CREATE TABLE public.batch (id integer PRIMARY KEY, v text);
      INSERT INTO public.batch VALUES (1, 'a'), (2, 'b');
      COMMIT`);

    await h.waitForRows(ref(h, 'batch'), [
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ]);
  });

  it('creates a table without a key, streams its inserts, then adds its separately declared primary key', async () => {
    await using h = await open();
    await started(h, 'keyless');
    const events = ref(h, 'events');

    await sourceDb(h).query('CREATE TABLE public.events (id integer NOT NULL, what text)');
    await waitForShape(h, events, {
      columns: [col('id', 'integer', false), col('what', 'text')],
      primaryKey: [],
    });
    await sourceDb(h).query(`INSERT INTO public.events VALUES (1, 'a'), (2, 'b')`);
    await h.waitForRows(events, [
      { id: 1, what: 'a' },
      { id: 2, what: 'b' },
    ]);
    // PostgreSQL's own rule for a published table without a key: its UPDATEs fail at the source.
    await expect(sourceDb(h).query(`UPDATE public.events SET what = 'x' WHERE id = 1`)).rejects.toThrow(
      /does not have a replica identity/,
    );

    await sourceDb(h).query('ALTER TABLE public.events ADD PRIMARY KEY (id)');
    await waitForShape(h, events, {
      columns: [col('id', 'integer', false), col('what', 'text')],
      primaryKey: ['id'],
    });
    await sourceDb(h).query(`UPDATE public.events SET what = 'x' WHERE id = 1`);
    await h.waitForRows(events, [
      { id: 1, what: 'x' },
      { id: 2, what: 'b' },
    ]);
  });

  it('applies ALTER COLUMN TYPE, ADD COLUMN and DROP COLUMN with no data change after them', async () => {
    await using h = await open();
    const gadgets = await h.source.createTable(
      'gadgets',
      [
        { name: 'id', type: 'integer' },
        { name: 'size', type: 'integer' },
        { name: 'legacy', type: 'text' },
      ],
      ['id'],
    );
    await h.source.insert(gadgets, [{ id: 1, size: 3, legacy: 'old' }]);
    await h.addConnector('alter');
    await h.lifecycle('startConnector', 'alter');
    await h.waitForState('alter', 'CHANGE_DATA_CAPTURE', 'POLLING');

    await sourceDb(h).query('ALTER TABLE public.gadgets ALTER COLUMN size TYPE numeric(10,3)');
    await waitForShape(h, gadgets, {
      columns: [col('id', 'integer', false), col('size', 'numeric(10,3)'), col('legacy', 'text')],
      primaryKey: ['id'],
    });
    await sourceDb(h).query(
      `ALTER TABLE public.gadgets ADD COLUMN "Label Text" varchar(30) NOT NULL DEFAULT 'x'`,
    );
    await waitForShape(h, gadgets, {
      columns: [
        col('id', 'integer', false),
        col('size', 'numeric(10,3)'),
        col('legacy', 'text'),
        // defaults are not copied, so the engine adds every column nullable (rows already there have no value)
        col('label text', 'character varying(30)'),
      ],
      primaryKey: ['id'],
    });
    await sourceDb(h).query('ALTER TABLE public.gadgets DROP COLUMN legacy');
    await waitForShape(h, gadgets, {
      columns: [
        col('id', 'integer', false),
        col('size', 'numeric(10,3)'),
        col('label text', 'character varying(30)'),
      ],
      primaryKey: ['id'],
    });
    // an ADD COLUMN's default fills existing rows at the source without writing them to the WAL
    await h.waitForRows(gadgets, [{ id: 1, size: '3.000', 'label text': null }]);
    await sourceDb(h).query('UPDATE public.gadgets SET size = 4.5 WHERE id = 1');
    await h.waitForRows(gadgets, [{ id: 1, size: '4.500', 'label text': 'x' }]);
  });

  it('renames a column in place, keeping its values, and renames the table, with no data change after them', async () => {
    await using h = await open();
    await started(h, 'rename');
    await sourceDb(h).query(`INSERT INTO public.seed VALUES (1)`);
    await sourceDb(h).query('ALTER TABLE public.seed ADD COLUMN label text');
    await sourceDb(h).query(`UPDATE public.seed SET label = 'kept' WHERE id = 1`);
    await h.waitForRows(ref(h, 'seed'), [{ id: 1, label: 'kept' }]);

    await sourceDb(h).query('ALTER TABLE public.seed RENAME COLUMN label TO "Title"');
    await waitForShape(h, ref(h, 'seed'), {
      columns: [col('id', 'integer', false), col('title', 'text')],
      primaryKey: ['id'],
    });
    await sourceDb(h).query('ALTER TABLE public.seed RENAME TO "Renamed Seed"');

    await waitForShape(h, ref(h, 'seed'), null);
    await h.waitForRows(ref(h, 'Renamed Seed'), [{ id: 1, title: 'kept' }]);
  });

  it('drops the destination table of a table dropped at the source', async () => {
    await using h = await open();
    await started(h, 'drop');
    const seed = ref(h, 'seed');
    expect(await shape(h, seed)).not.toBeNull();

    await sourceDb(h).query('DROP TABLE public.seed');

    await waitForShape(h, seed, null);
  });

  it('keeps the destination table of a dropped table with options.dropTables false', async () => {
    await using h = await open({ dropTables: false });
    await started(h, 'keep');
    await sourceDb(h).query('INSERT INTO public.seed VALUES (7)');
    await h.waitForRows(ref(h, 'seed'), [{ id: 7 }]);

    await sourceDb(h).query('DROP TABLE public.seed');
    await sourceDb(h).query('CREATE TABLE public.marker (id integer PRIMARY KEY)');

    await waitFor('the next table created', () =>
      shape(h, ref(h, 'marker')).then((found) => found ?? undefined),
    );
    await h.waitForRows(ref(h, 'seed'), [{ id: 7 }]);
  });

  it('applies rows interleaved with DDL in one source transaction in order', async () => {
    await using h = await open();
    await started(h, 'interleaved');
    await sourceDb(h).query('CREATE TABLE public.parts (id integer PRIMARY KEY, qty integer)');
    const parts = ref(h, 'parts');
    await waitForShape(h, parts, {
      columns: [col('id', 'integer', false), col('qty', 'integer')],
      primaryKey: ['id'],
    });

    await sourceDb(h).query(`BEGIN;
      INSERT INTO public.parts VALUES (1, 10);
      ALTER TABLE public.parts ADD COLUMN color text;
      INSERT INTO public.parts VALUES (2, 20, 'red');
      ALTER TABLE public.parts ALTER COLUMN qty TYPE numeric(6,1);
      UPDATE public.parts SET qty = 10.5, color = 'blue' WHERE id = 1;
      ALTER TABLE public.parts DROP COLUMN color;
      INSERT INTO public.parts VALUES (3, 30);
      COMMIT`);

    await h.waitForRows(parts, [
      { id: 1, qty: '10.5' },
      { id: 2, qty: '20.0' },
      { id: 3, qty: '30.0' },
    ]);
    await waitForShape(h, parts, {
      columns: [col('id', 'integer', false), col('qty', 'numeric(6,1)')],
      primaryKey: ['id'],
    });
  });
});
