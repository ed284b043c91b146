import { describe, expect, it } from 'vitest';
import { classifyDdl, type DdlStatement } from '../../../plugins/oracle/schema/ddl-statement.js';

const CASES: readonly (readonly [string, DdlStatement])[] = [
  ['create table "DBZUSER"."ORDERS" ("ID" NUMBER);', { kind: 'create', table: 'ORDERS', owner: 'DBZUSER' }],
  ['CREATE GLOBAL TEMPORARY TABLE scratch (x number)', { kind: 'create', table: 'SCRATCH' }],
  [
    'create table "DBZUSER"."create table test" (a number)',
    { kind: 'create', table: 'create table test', owner: 'DBZUSER' },
  ],
  ['alter table orders add (note varchar2(20))', { kind: 'alter', table: 'ORDERS' }],
  [
    'ALTER TABLE "DBZUSER"."ORDERS" MODIFY "QTY" NUMBER(10)',
    { kind: 'alter', table: 'ORDERS', owner: 'DBZUSER' },
  ],
  ['alter table dbzuser.orders drop column note', { kind: 'alter', table: 'ORDERS', owner: 'DBZUSER' }],
  ['alter table "ORDERS" rename column "A" to "B"', { kind: 'alter', table: 'ORDERS' }],
  [
    'alter table dbzuser.orders rename to orders_old',
    { kind: 'rename', from: 'ORDERS', table: 'ORDERS_OLD', owner: 'DBZUSER' },
  ],
  ['rename orders to "Orders 2"', { kind: 'rename', from: 'ORDERS', table: 'Orders 2' }],
  ['drop table "DBZUSER"."ORDERS" AS "BIN$0A==$0"', { kind: 'drop', table: 'ORDERS', owner: 'DBZUSER' }],
  ['truncate table orders', { kind: 'truncate', table: 'ORDERS' }],
  ['create index orders_i on orders (id)', { kind: 'other' }],
  ['grant select on orders to someone', { kind: 'other' }],
];

describe('Oracle DDL classification', () => {
  it.each(CASES)('classifies %s', (sql, expected) => {
    expect(classifyDdl(sql)).toEqual(expected);
  });
});
