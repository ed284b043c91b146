import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';

const harness = useFileServer(inject('targetClusterUrl'));
let source: TestDatabase;

beforeAll(async () => {
  source = await createTestDatabase(inject('sourceClusterUrl'), 'states');
  await source.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await source.query("INSERT INTO items VALUES (1, 'a'), (2, 'b')");
  for (const name of ['watched', 'other']) {
    const added = await gql(
      harness.server.url,
      'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
      {
        i: { name, type: 'postgres', ...postgresConfig(source), schema: 'public', tables: ['public.items'] },
      },
    );
    expect(added.errors).toBeUndefined();
  }
}, 60_000);

afterAll(async () => {
  await source?.[Symbol.asyncDispose]();
});

interface Seen {
  name: string;
  active: boolean;
  state: { stage: string; state: string; error: string | null };
}

const FIELDS = 'name active state { stage state error }';

async function current(name: string): Promise<Seen> {
  const result = await gql<{ connector: Seen }>(
    harness.server.url,
    `{ connector(name: "${name}") { ${FIELDS} } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data?.connector as Seen;
}

async function lifecycle(mutation: string, name: string): Promise<void> {
  const result = await gql(harness.server.url, `mutation { ${mutation}(name: "${name}") { name } }`);
  expect(result.errors).toBeUndefined();
}

describe('connectorStateChanged', () => {
  it('sends the current state on subscribe, then each change once, never the same state twice in a row', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using states = subscribe<{ connectorStateChanged: Seen }>(
        client,
        `subscription { connectorStateChanged(name: "watched") { ${FIELDS} } }`,
      );
      const [first] = await states.take(1);
      expect(first?.data?.connectorStateChanged).toEqual(await current('watched'));
      expect(first?.data?.connectorStateChanged).toMatchObject({
        active: false,
        state: { state: 'STOPPED' },
      });

      // a stopped connector stopped again: the engine announces its (unchanged) state twice
      await lifecycle('stopConnector', 'watched');
      await lifecycle('stopConnector', 'watched');
      await lifecycle('startConnector', 'watched');
      const seen = [first?.data?.connectorStateChanged as Seen];
      while (
        !(seen.at(-1)?.state.stage === 'CHANGE_DATA_CAPTURE' && seen.at(-1)?.state.state === 'POLLING')
      ) {
        const [next] = await states.take(1);
        expect(next?.errors).toBeUndefined();
        seen.push(next?.data?.connectorStateChanged as Seen);
      }
      expect(seen[1]).toMatchObject({ active: true });
      for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toEqual(seen[i - 1]);
      expect(seen.at(-1)).toEqual(await current('watched'));
    } finally {
      await client.dispose();
      await lifecycle('stopConnector', 'watched');
    }
  }, 60_000);

  it('starts with the current state of every connector when no name is given', async () => {
    const client = wsClient(harness.server.url);
    try {
      await using states = subscribe<{ connectorStateChanged: Seen }>(
        client,
        `subscription { connectorStateChanged { ${FIELDS} } }`,
      );
      const firsts = (await states.take(2)).map((result) => result.data?.connectorStateChanged as Seen);
      const byName = Object.fromEntries(firsts.map((seen) => [seen.name, seen]));
      expect(byName).toEqual({ watched: await current('watched'), other: await current('other') });
    } finally {
      await client.dispose();
    }
  });
});
