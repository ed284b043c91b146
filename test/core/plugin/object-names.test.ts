import { describe, expect, it } from 'vitest';
import { canonicalColumnName, canonicalTableName, sourceNaming } from '../../../core/plugin/kit.js';

describe('object names', () => {
  const postgres = sourceNaming({ hasSchemas: true }, 'postgres');
  const sqlserver = sourceNaming({}, 'testDB');
  const mysql = sourceNaming({ hasSchemas: false }, 'inventory');

  it('strips the connector’s database from a three-part table name where the source has schemas', () => {
    expect(canonicalTableName('postgres.public.orders', postgres)).toBe('public.orders');
    expect(canonicalTableName('public.orders', postgres)).toBe('public.orders');
    expect(canonicalTableName('testDB.dbo.orders', sqlserver)).toBe('dbo.orders');
    expect(canonicalTableName('testdb.dbo.orders', sqlserver)).toBe('dbo.orders');
  });

  it('keeps a name whose first part is another database, and every name where the source has no schemas', () => {
    expect(canonicalTableName('other.public.orders', postgres)).toBe('other.public.orders');
    expect(canonicalTableName('inventory.orders', mysql)).toBe('inventory.orders');
    expect(canonicalColumnName('inventory.orders.id', mysql)).toBe('inventory.orders.id');
  });

  it('strips the database from a four-part column name, never from a three-part one', () => {
    expect(canonicalColumnName('postgres.public.orders.id', postgres)).toBe('public.orders.id');
    expect(canonicalColumnName('public.orders.id', postgres)).toBe('public.orders.id');
    // a schema named like the database stays: three parts are schema.table.column
    expect(canonicalColumnName('postgres.orders.id', postgres)).toBe('postgres.orders.id');
  });

  it('treats a source without hasSchemas as having schemas', () => {
    expect(sourceNaming({}, 'db').hasSchemas).toBe(true);
  });
});
