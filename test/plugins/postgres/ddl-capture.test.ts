import { describe, expect, it } from 'vitest';
import type { SchemaChange, SourceEvent } from '../../../core/plugin/index.js';
import { collect, postgresFixture } from './postgres-fixture.js';

const schemaChanges = (events: readonly SourceEvent[]) =>
  events.filter((event): event is SchemaChange => event.kind === 'schema');

describe('postgres DDL capture', () => {
  it('emits create, alter and drop from the DDL trigger in commit order, without rows after them', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE seed (id integer PRIMARY KEY); CREATE SCHEMA other');
    const connection = await fixture.connect();
    const tables = await connection.discover(null);
    await using capture = await connection.startCapture(tables);
    await fixture.sql('CREATE TABLE "Order Items" (id integer, note varchar(20) NOT NULL)');
    await fixture.sql('ALTER TABLE "Order Items" ADD PRIMARY KEY (id)');
    await fixture.sql('ALTER TABLE "Order Items" ALTER COLUMN note TYPE text, ADD COLUMN extra integer');
    await fixture.sql('ALTER TABLE "Order Items" RENAME COLUMN extra TO "Extra Count"');
    await fixture.sql('ALTER TABLE "Order Items" REPLICA IDENTITY FULL');
    await fixture.sql('CREATE TABLE other.ignored (id integer)');
    await fixture.sql('DROP TABLE "Order Items"');

    const events = await collect(connection, capture.startOffset, {
      tables,
      selection: null,
      until: (events) => schemaChanges(events).length >= 5,
    });

    const summary = schemaChanges(events).map((event) => ({
      action: event.action,
      name: event.table.ref.name,
      columns: event.table.columns.map(
        (column) =>
          `${column.name} ${column.type}${column.length ? `(${column.length})` : ''}${column.nullable ? '' : ' not null'}`,
      ),
      primaryKey: event.table.primaryKey,
      ...(event.renamedColumns && { renamedColumns: event.renamedColumns }),
    }));
    expect(summary).toEqual([
      {
        action: 'create',
        name: 'Order Items',
        columns: ['id integer', 'note character varying(20) not null'],
        primaryKey: [],
      },
      {
        action: 'alter',
        name: 'Order Items',
        columns: ['id integer not null', 'note character varying(20) not null'],
        primaryKey: ['id'],
      },
      {
        action: 'alter',
        name: 'Order Items',
        columns: ['id integer not null', 'note text not null', 'extra integer'],
        primaryKey: ['id'],
      },
      {
        action: 'alter',
        name: 'Order Items',
        columns: ['id integer not null', 'note text not null', 'Extra Count integer'],
        primaryKey: ['id'],
        renamedColumns: [{ from: 'extra', to: 'Extra Count' }],
      },
      {
        action: 'drop',
        name: 'Order Items',
        columns: ['id integer not null', 'note text not null', 'Extra Count integer'],
        primaryKey: ['id'],
      },
    ]);
  });
});
