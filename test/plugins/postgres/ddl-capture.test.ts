import { describe, expect, it } from 'vitest';
import type { SchemaChange, SourceEvent } from '../../../core/plugin/index.js';
import { waitFor } from '../../support/wait-for.js';
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

describe('postgres DDL capture of a table the stream started with', () => {
  it('announces an ALTER once, in its own transaction, and not again when the next row describes the relation', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE items (id integer PRIMARY KEY, name text)');
    const connection = await fixture.connect();
    const tables = await connection.discover(['public.items']);
    await using capture = await connection.startCapture(tables);
    await fixture.sql(`INSERT INTO items VALUES (1, 'one')`);
    await fixture.sql('ALTER TABLE items ADD COLUMN price numeric(10,2)');
    await fixture.sql(`INSERT INTO items VALUES (2, 'two', 9.50)`);

    const events = await collect(connection, capture.startOffset, {
      tables,
      until: (events) => events.filter((event) => event.kind === 'change').length >= 2,
    });

    const [first, altered, second] = events.filter((event) => event.kind !== 'checkpoint');
    expect(events.filter((event) => event.kind !== 'checkpoint')).toHaveLength(3);
    expect(altered).toMatchObject({ kind: 'schema', action: 'alter', statement: 'ALTER TABLE' });
    expect(altered?.kind === 'schema' && altered.table.columns.map((column) => column.name)).toEqual([
      'id',
      'name',
      'price',
    ]);
    expect(altered?.commitOffset).not.toBe(first?.commitOffset);
    expect(altered?.commitOffset).not.toBe(second?.commitOffset);
    expect(second).toMatchObject({ kind: 'change', after: { id: 2, name: 'two', price: '9.50' } });
  });
});

describe('postgres DDL capture, schema-wide', () => {
  it('streams the rows of the transaction that creates a table, after its create', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE seed (id integer PRIMARY KEY)');
    const connection = await fixture.connect();
    const tables = await connection.discover(null);
    await using capture = await connection.startCapture(tables);
    const events = collect(connection, capture.startOffset, {
      tables,
      selection: null,
      until: (events) => events.filter((event) => event.kind === 'change').length >= 2,
    });
    // the stream makes the publication schema-wide when it starts
    await waitFor('the schema-wide publication', async () => {
      const rows = await fixture.sql('SELECT 1 FROM pg_publication_namespace');
      return rows.length > 0 ? true : undefined;
    });
    await fixture.sql(`BEGIN;
      CREATE TABLE batch (id integer PRIMARY KEY, v text);
      INSERT INTO batch VALUES (1, 'a'), (2, 'b');
      COMMIT`);

    const seen = (await events).map((event) =>
      event.kind === 'schema'
        ? `${event.action} ${event.table.ref.name}`
        : event.kind === 'change'
          ? JSON.stringify(event.after)
          : event.kind,
    );
    // checkpoints of the idle source may come first; none may come inside the transaction
    const first = seen.findIndex((line) => line !== 'checkpoint');
    expect(seen.slice(first)).toEqual(['create batch', '{"id":1,"v":"a"}', '{"id":2,"v":"b"}']);
  });
});
