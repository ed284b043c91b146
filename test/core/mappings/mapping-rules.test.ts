import { describe, expect, it } from 'vitest';
import type { MappingRule } from '../../../core/mappings/mapping-rule.js';
import { destinationProblem, MappingRules } from '../../../core/mappings/mapping-rules.js';
import type { SourceColumn } from '../../../core/plugin/index.js';

const rule = (
  kind: MappingRule['kind'],
  source: string,
  destination: string,
  enabled = true,
): MappingRule => ({
  kind,
  source,
  destination,
  enabled,
});

const column = (name: string, type: string, extra: Partial<SourceColumn> = {}): SourceColumn => ({
  name,
  position: 1,
  type,
  nullable: true,
  ...extra,
});

describe('mapping rules', () => {
  it('maps a table to schema.table, or to public when the destination has no schema', () => {
    const rules = new MappingRules([
      rule('table', 'inventory.customers', 'schema1.People'),
      rule('table', 'inventory.orders', 'orders_copy'),
    ]);
    expect(rules.table('inventory.customers')).toEqual({ schema: 'schema1', name: 'People' });
    expect(rules.table('inventory.orders')).toEqual({ schema: 'public', name: 'orders_copy' });
    expect(rules.table('inventory.Customers')).toBeUndefined();
  });

  it('renames a column of one table, matching names as the source spells them', () => {
    const rules = new MappingRules([rule('column', 'inventory.customers.email', 'contact')]);
    expect(rules.column('inventory.customers', 'email')).toBe('contact');
    expect(rules.column('inventory.customers', 'EMAIL')).toBeUndefined();
    expect(rules.column('inventory.orders', 'email')).toBeUndefined();
  });

  it('prefers a column-specific datatype rule to a type-wide one, and applies |0, |N and the kept size', () => {
    const rules = new MappingRules([
      rule('datatype', 'VARCHAR', 'text|0'),
      rule('datatype', 'inventory.orders.note', 'varchar|80'),
      rule('datatype', 'decimal', 'numeric'),
      rule('datatype', 'point|false', 'text|0'),
    ]);
    expect(rules.datatype('inventory.orders', column('note', 'varchar', { length: 20 }))).toBe('varchar(80)');
    expect(rules.datatype('inventory.orders', column('name', 'varchar', { length: 20 }))).toBe('text');
    expect(rules.datatype('inventory.orders', column('price', 'decimal', { precision: 10, scale: 2 }))).toBe(
      'numeric(10,2)',
    );
    expect(rules.datatype('inventory.orders', column('at', 'point'))).toBe('text');
    expect(rules.datatype('inventory.orders', column('id', 'int'))).toBeUndefined();
  });

  it('keeps the source size only where the PostgreSQL type takes one, and only as many parts as it takes', () => {
    const rules = new MappingRules([
      rule('datatype', 'decimal', 'text'),
      rule('datatype', 'float', 'varchar'),
      rule('datatype', 'datetime', 'timestamp'),
    ]);
    const orders = 'inventory.orders';
    expect(rules.datatype(orders, column('p', 'decimal', { precision: 12, scale: 2 }))).toBe('text');
    expect(rules.datatype(orders, column('f', 'float', { precision: 12, scale: 2 }))).toBe('varchar(12)');
    expect(rules.datatype(orders, column('t', 'datetime', { precision: 3 }))).toBe('timestamp(3)');
  });

  it('matches auto-increment columns type-wide only with a |true rule, as SynchDB does', () => {
    const rules = new MappingRules([rule('datatype', 'int|true', 'bigint|0')]);
    expect(rules.datatype('inventory.orders', column('id', 'int', { autoIncrement: true }))).toBe('bigint');
    expect(rules.datatype('inventory.orders', column('n', 'int'))).toBeUndefined();
    const plain = new MappingRules([rule('datatype', 'int', 'bigint|0')]);
    expect(plain.datatype('inventory.orders', column('id', 'int', { autoIncrement: true }))).toBeUndefined();
    expect(plain.datatype('inventory.orders', column('n', 'int'))).toBe('bigint');
  });

  it('applies a column-specific datatype rule whatever the column’s auto-increment flag', () => {
    const rules = new MappingRules([
      rule('datatype', 'inventory.orders.order_number', 'bigint'),
      rule('datatype', 'inventory.orders.quantity|true', 'bigint'),
    ]);
    const auto = { autoIncrement: true };
    expect(rules.datatype('inventory.orders', column('order_number', 'int', auto))).toBe('bigint');
    expect(rules.datatype('inventory.orders', column('quantity', 'int'))).toBe('bigint');
    expect(rules.datatype('inventory.orders', column('purchaser', 'int', auto))).toBeUndefined();
  });

  it('accepts SynchDB’s database.schema.table sources where the source has schemas', () => {
    const naming = { database: 'postgres', hasSchemas: true };
    const rules = new MappingRules(
      [
        rule('table', 'postgres.public.orders', 'sales.orders'),
        rule('column', 'postgres.public.orders.purchaser', 'buyer'),
        rule('datatype', 'postgres.public.orders.quantity', 'bigint'),
        rule('transform', 'postgres.public.orders.quantity', '%d + 500'),
        rule('table', 'other.public.items', 'x.items'),
      ],
      naming,
    );
    expect(rules.table('public.orders')).toEqual({ schema: 'sales', name: 'orders' });
    expect(rules.column('public.orders', 'purchaser')).toBe('buyer');
    expect(rules.datatype('public.orders', column('quantity', 'integer'))).toBe('bigint');
    expect(rules.transform('public.orders', 'quantity')).toBe('%d + 500');
    expect(rules.table('public.items')).toBeUndefined();
  });

  it('keeps MySQL’s two-part database.table sources as they are', () => {
    const rules = new MappingRules([rule('table', 'inventory.orders', 'x.y')], {
      database: 'inventory',
      hasSchemas: false,
    });
    expect(rules.table('inventory.orders')).toEqual({ schema: 'x', name: 'y' });
  });

  it('ignores disabled rules', () => {
    const rules = new MappingRules([rule('table', 'inventory.orders', 'x.y', false)]);
    expect(rules.table('inventory.orders')).toBeUndefined();
  });

  it('explains a malformed destination', () => {
    expect(destinationProblem('table', 'db.t', ' ')).toBe('destination must not be empty');
    expect(destinationProblem('table', 'db.t', 'a.b.c')).toMatch(/schema\.table or table/);
    expect(destinationProblem('datatype', 'int', 'varchar|big')).toMatch(/type or type\|N/);
    expect(destinationProblem('datatype', 'int', 'varchar|-1')).toBeNull();
    expect(destinationProblem('column', 'db.t.c', 'contact')).toBeNull();
  });
});
