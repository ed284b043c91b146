import { describe, expect, it } from 'vitest';
import { type KnownColumn, unmatchedReason } from '../../../core/mappings/unmatched-rules.js';

const COLUMNS: readonly KnownColumn[] = [
  { table: 'public.orders', column: 'id', type: 'integer' },
  { table: 'public.orders', column: 'quantity', type: 'integer' },
  { table: 'public.customers', column: 'email', type: 'character varying' },
];
const reason = (kind: 'table' | 'column' | 'datatype' | 'transform', source: string) =>
  unmatchedReason({ kind, source }, COLUMNS, 'postgres');

describe('unmatched rules', () => {
  it('matches tables and columns in both the canonical and the three-part form', () => {
    expect(reason('table', 'public.orders')).toBeNull();
    expect(reason('table', 'postgres.public.orders')).toBeNull();
    expect(reason('column', 'postgres.public.orders.quantity')).toBeNull();
    expect(reason('transform', 'public.customers.email')).toBeNull();
    expect(reason('datatype', 'postgres.public.orders.id|true')).toBeNull();
  });

  it('says which table or column is missing', () => {
    expect(reason('table', 'public.order')).toBe('no replicated table is named public.order');
    expect(reason('column', 'postgres.public.orders.qty')).toBe(
      'table postgres.public.orders has no column qty',
    );
    expect(reason('transform', 'inventory.orders.quantity')).toBe(
      'no replicated table is named inventory.orders',
    );
  });

  it('matches a type-wide datatype rule by type, whatever its flag', () => {
    expect(reason('datatype', 'INTEGER|true')).toBeNull();
    expect(reason('datatype', 'character varying')).toBeNull();
    expect(reason('datatype', 'point')).toBe('no replicated column has the type point');
  });

  it('matches a type-wide datatype rule only with the flag of some column, where the flags are known', () => {
    const discovered: KnownColumn[] = [
      { table: 'inventory.orders', column: 'order_number', type: 'int', autoIncrement: true },
      { table: 'inventory.orders', column: 'quantity', type: 'int', autoIncrement: false },
      { table: 'inventory.orders', column: 'purchaser', type: 'bigint', autoIncrement: false },
    ];
    const check = (source: string) => unmatchedReason({ kind: 'datatype', source }, discovered, 'inventory');
    expect(check('int|true')).toBeNull();
    expect(check('int')).toBeNull();
    expect(check('bigint')).toBeNull();
    expect(check('bigint|true')).toBe(
      'no replicated bigint column is auto-increment; without |true the rule applies to the others',
    );
  });
});
