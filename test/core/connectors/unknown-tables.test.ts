import { describe, expect, it } from 'vitest';
import {
  closestNames,
  findUnknownTables,
  UnknownTablesError,
} from '../../../core/connectors/unknown-tables.js';
import type { SourceTable, TableSelection } from '../../../core/plugin/index.js';

const table = (schema: string, name: string): SourceTable => ({
  ref: { database: 'shop', schema, name },
  columns: [{ name: 'id', position: 1, type: 'int4', nullable: false }],
  primaryKey: ['id'],
});
const existing = [table('public', 'customers'), table('public', 'orders'), table('public', 'order_items')];
/** A connection whose source holds `existing`; `discover` answers what a plugin would. */
const source = {
  discover: async (selection: TableSelection) =>
    selection === null
      ? existing
      : existing.filter((t) => selection.includes(`${t.ref.schema}.${t.ref.name}`)),
};
const check = async (tables: string[] | null, snapshotTables: string[] | null = null) =>
  findUnknownTables(source, { tables, snapshotTables }, await source.discover(tables));

describe('unknown tables', () => {
  it('finds nothing when every name exists', async () => {
    expect(await check(['public.customers', 'public.orders'], ['public.orders'])).toEqual([]);
    expect(await check(null)).toEqual([]);
  });

  it('names a misspelled table among valid ones with the closest existing names', async () => {
    expect(await check(['public.customers', 'public.custmers', 'public.oders'])).toEqual([
      { name: 'public.custmers', setting: 'tables', closest: ['public.customers'], notSelected: false },
      { name: 'public.oders', setting: 'tables', closest: ['public.orders'], notSelected: false },
    ]);
  });

  it('reports a misspelled snapshotTables entry, and one that exists but is not selected', async () => {
    expect(await check(null, ['public.ordrs'])).toEqual([
      { name: 'public.ordrs', setting: 'snapshotTables', closest: ['public.orders'], notSelected: false },
    ]);
    expect(await check(['public.customers'], ['public.orders'])).toEqual([
      { name: 'public.orders', setting: 'snapshotTables', closest: [], notSelected: true },
    ]);
  });

  it('reports a name missing from tables and snapshotTables once', async () => {
    expect(await check(['public.custmers'], ['public.custmers'])).toHaveLength(1);
  });

  it('suggests nothing for a name far from every table', () => {
    expect(closestNames('public.invoices', ['public.customers', 'public.orders'])).toEqual([]);
  });

  it('says what to do in the error message', async () => {
    const error = new UnknownTablesError(await check(['public.custmers']));
    expect(error.message).toBe(
      'unknown table public.custmers in tables (did you mean public.customers?); fix the names with updateConnector ' +
        '(names are schema.table, or db.table for MySQL, spelled as the source spells them)',
    );
  });
});
