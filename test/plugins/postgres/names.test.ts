import { describe, expect, it } from 'vitest';
import type { Row, RowChange, SourceTable } from '../../../core/plugin/index.js';
import { changesThenCheckpoint, collect, postgresFixture } from './postgres-fixture.js';

describe('postgres names', () => {
  it('replicates tables and columns whose names hold spaces, capitals and quotes, end to end', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE SCHEMA "Sales Dept";
      CREATE TABLE "Sales Dept"."Order Items" ("Item Id" int PRIMARY KEY, "MixedCase" text, "say ""hi""" text);
      CREATE TABLE "Sales Dept"."MixedCase" (id int PRIMARY KEY, "Value" int);
      CREATE TABLE "Sales Dept".mixedcase (id int PRIMARY KEY);
      CREATE TABLE public."Order Items" (id int PRIMARY KEY);
      INSERT INTO "Sales Dept"."Order Items" VALUES (1, 'a', 'x'), (2, 'b', 'y'), (3, 'c', 'z')`);
    const connection = await fixture.connect({ connectorName: 'Mixed_Names' });

    const listed = await connection.discover(null);
    const inSchema = await (await fixture.connect({ schema: 'Sales Dept' })).discover(null);
    const tables = await connection.discover([
      'Sales Dept.Order Items',
      'Sales Dept.MixedCase',
      'sales dept.order items',
    ]);
    const [items, mixed] = tables as [SourceTable, SourceTable];
    await using capture = await connection.startCapture(tables);
    await fixture.sql(`INSERT INTO "Sales Dept"."MixedCase" VALUES (1, 10);
      UPDATE "Sales Dept"."Order Items" SET "Item Id" = 20, "say ""hi""" = 'changed' WHERE "Item Id" = 2;
      DELETE FROM "Sales Dept"."Order Items" WHERE "Item Id" = 3`);

    const rows: Row[] = [];
    const read = { batchSize: 1, afterKey: [1], signal: AbortSignal.timeout(10_000) };
    for await (const batch of capture.readTable(items, read)) rows.push(...batch);
    const copied: Buffer[] = [];
    for await (const chunk of capture.copyTable?.(items, { signal: AbortSignal.timeout(10_000) }) ?? [])
      copied.push(chunk);
    const events = await collect(connection, capture.startOffset, {
      tables,
      until: changesThenCheckpoint(3),
    });

    expect(listed.map((table) => table.ref.name)).toEqual(['Order Items']);
    expect(inSchema.map((table) => table.ref.name).sort()).toEqual(['MixedCase', 'Order Items', 'mixedcase']);
    expect(tables.map((table) => table.ref)).toEqual([
      { database: fixture.databaseName, schema: 'Sales Dept', name: 'Order Items' },
      { database: fixture.databaseName, schema: 'Sales Dept', name: 'MixedCase' },
    ]);
    expect(items.columns.map((column) => column.name)).toEqual(['Item Id', 'MixedCase', 'say "hi"']);
    expect(items.primaryKey).toEqual(['Item Id']);
    expect(rows).toEqual([
      { 'Item Id': 2, MixedCase: 'b', 'say "hi"': 'y' },
      { 'Item Id': 3, MixedCase: 'c', 'say "hi"': 'z' },
    ]);
    expect(Buffer.concat(copied).toString()).toBe('1\ta\tx\n2\tb\ty\n3\tc\tz\n');
    const changes = events.filter((event): event is RowChange => event.kind === 'change');
    expect(changes.map(({ op, table, before, after }) => ({ op, table: table.name, before, after }))).toEqual(
      [
        { op: 'insert', table: 'MixedCase', before: undefined, after: { id: 1, Value: 10 } },
        {
          op: 'update',
          table: 'Order Items',
          before: { 'Item Id': 2 },
          after: { 'Item Id': 20, MixedCase: 'b', 'say "hi"': 'changed' },
        },
        { op: 'delete', table: 'Order Items', before: { 'Item Id': 3 }, after: undefined },
      ],
    );
    expect(mixed.columns.map((column) => column.name)).toEqual(['id', 'Value']);
  });
});
