import { describe, expect, inject, it } from 'vitest';
import {
  type PostgresContractSource,
  postgresContractTarget,
} from '../plugins/postgres/postgres-contract-source.js';
import { EngineHarness } from './engine-harness.js';

const open = () => EngineHarness.open(inject('targetClusterUrl'), postgresContractTarget);
const sourceDb = (h: EngineHarness) => (h.source as PostgresContractSource).database;

describe('PostgreSQL source through the engine', () => {
  it('drops a column dropped at the source before applying later rows', async () => {
    await using h = await open();
    const table = await h.source.createTable(
      'gadgets',
      [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
        { name: 'legacy', type: 'text' },
      ],
      ['id'],
    );
    await h.source.insert(table, [{ id: 1, name: 'a', legacy: 'old' }]);
    await h.addConnector('drop', { tables: [table] });
    await h.lifecycle('startConnector', 'drop');
    await h.waitForState('drop', 'CHANGE_DATA_CAPTURE', 'POLLING');
    await sourceDb(h).query('ALTER TABLE public.gadgets DROP COLUMN legacy');
    await h.source.insert(table, [{ id: 2, name: 'b' }]);
    await h.waitForRows(table, [
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    const attributes = await h.graphql<{
      connector: { attributes: { sourceColumn: string; destinationType: string }[] };
    }>('{ connector(name: "drop") { attributes { sourceColumn destinationType } } }');
    expect(attributes.connector.attributes).toEqual([
      { sourceColumn: 'id', destinationType: 'integer' },
      { sourceColumn: 'name', destinationType: 'text' },
      { sourceColumn: 'legacy', destinationType: '........pg.dropped.3........' },
    ]);
  });

  it('keeps an unchanged TOASTed value when another column is updated', async () => {
    await using h = await open();
    const table = await h.source.createTable(
      'docs',
      [
        { name: 'id', type: 'integer' },
        { name: 'body', type: 'text' },
        { name: 'version', type: 'integer' },
      ],
      ['id'],
    );
    await sourceDb(h).query('ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL');
    await h.addConnector('toast', { tables: [table] });
    await h.lifecycle('startConnector', 'toast');
    await h.waitForState('toast', 'CHANGE_DATA_CAPTURE', 'POLLING');
    await sourceDb(h).query(
      "INSERT INTO public.docs SELECT 1, string_agg(md5(g::text), '') FROM generate_series(1, 2000) g",
    );
    await h.source.update(table, { id: 1 }, { version: 2 });
    const expected = (
      await sourceDb(h).query('SELECT md5(body) AS digest, length(body) AS size FROM public.docs')
    ).rows[0];
    expect(expected?.size).toBe(64_000);
    await h.waitForRows(
      table,
      [{ id: 1, digest: expected?.digest, version: 2 }],
      'id, md5(body) AS digest, version',
    );
  });
});
