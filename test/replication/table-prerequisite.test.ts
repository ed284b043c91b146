import { describe, expect, inject, it } from 'vitest';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const harness = useFileServer(inject('targetClusterUrl'));

interface View {
  state: { stage: string; state: string; error: string | null };
}

async function addAndStart(name: string, sourceUrl: string, database: string, table: string): Promise<void> {
  const at = new URL(sourceUrl);
  const result = await gql(
    harness.server.url,
    `mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } startConnector(name: "${name}") { name } }`,
    {
      i: {
        name,
        type: 'postgres',
        host: at.hostname,
        port: Number(at.port),
        user: decodeURIComponent(at.username),
        password: decodeURIComponent(at.password),
        database,
        schema: 'public',
        tables: [`public.${table}`],
      },
    },
  );
  expect(result.errors).toBeUndefined();
}

async function view(name: string): Promise<View | undefined> {
  const result = await gql<{ connector: View }>(
    harness.server.url,
    `{ connector(name: "${name}") { state { stage state error } } }`,
  );
  return result.data?.connector;
}

describe('a table missing its prerequisite', () => {
  it('is named with its fix in state.error, and another connector on the same database is not blamed', async () => {
    await using source = await createTestDatabase(inject('sourceClusterUrl'), 'source');
    await source.query('CREATE TABLE keyless (line text); CREATE TABLE keyed (id int PRIMARY KEY)');
    await source.query('INSERT INTO keyed VALUES (1)');
    const sourceUrl = inject('sourceClusterUrl');

    await addAndStart('keyed_reader', sourceUrl, source.name, 'keyed');
    await addAndStart('keyless_reader', sourceUrl, source.name, 'keyless');

    const refused = await waitFor('keyless_reader to fail', async () => {
      const seen = await view('keyless_reader');
      return seen?.state.error ? seen : undefined;
    });
    expect(refused.state.state).toBe('STOPPED');
    expect(refused.state.error).toContain(
      'table "public"."keyless" has REPLICA IDENTITY DEFAULT without a primary key',
    );
    expect(refused.state.error).toContain('fix: ALTER TABLE "public"."keyless" REPLICA IDENTITY FULL');

    const streaming = await waitFor('keyed_reader to stream', async () => {
      const seen = await view('keyed_reader');
      return seen?.state.stage === 'CHANGE_DATA_CAPTURE' ? seen : undefined;
    });
    expect(streaming.state).toMatchObject({ state: 'POLLING', error: null });
    const copied = await harness.db.query(`SELECT id FROM "${source.name}"."keyed"`);
    expect(copied.rows).toEqual([{ id: 1 }]);

    for (const name of ['keyed_reader', 'keyless_reader']) {
      await gql(harness.server.url, `mutation { deleteConnector(name: "${name}") }`);
    }
  });
});
