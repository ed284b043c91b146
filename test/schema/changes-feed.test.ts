import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { gql } from '../support/graphql-http.js';
import { subscribe, wsClient } from '../support/graphql-ws-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { useFileServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const harness = useFileServer(inject('targetClusterUrl'));
let source: TestDatabase;

beforeAll(async () => {
  source = await createTestDatabase(inject('sourceClusterUrl'), 'feed');
  await source.query('CREATE TABLE blobs (id bigint PRIMARY KEY, data bytea, big bigint, small int)');
}, 60_000);

afterAll(async () => {
  await source?.[Symbol.asyncDispose]();
});

interface ChangeEvent {
  op: string;
  sourceTable: string;
  destinationTable: string;
  after: Record<string, unknown> | null;
  ddl: {
    action: string;
    statement: string | null;
    columns: { name: string; sourceName: string; type: string }[];
  } | null;
}

const CHANGES = `subscription ($c: String!) { changes(connector: $c) {
  op sourceTable destinationTable after ddl { action statement columns { name sourceName type } } } }`;

async function mutate(mutation: string, variables?: Record<string, unknown>): Promise<void> {
  const result = await gql(harness.server.url, mutation, variables);
  expect(result.errors).toBeUndefined();
}

describe('changes subscription payloads', () => {
  it('carries bytea as base64, bigint beyond 2^53 as a string and an ADD COLUMN as a DDL event with the new shape', async () => {
    await mutate('mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }', {
      i: { name: 'feed', type: 'postgres', ...postgresConfig(source), tables: ['public.blobs'] },
    });
    await mutate('mutation { startConnector(name: "feed") { name } }');
    await waitFor('streaming', async () => {
      const result = await gql<{ connector: { state: { stage: string; state: string } } }>(
        harness.server.url,
        '{ connector(name: "feed") { state { stage state } } }',
      );
      const state = result.data?.connector.state;
      return state?.stage === 'CHANGE_DATA_CAPTURE' && state.state === 'POLLING' ? true : undefined;
    });
    const client = wsClient(harness.server.url);
    try {
      await using feed = subscribe<{ changes: ChangeEvent }>(client, CHANGES, { c: 'feed' });
      const received = feed.take(2);
      // the subscription is registered once the server answers on the same socket
      await subscribe(client, '{ sourceTypes { id } }').take(1);
      await source.query("INSERT INTO blobs VALUES (1, '\\xdeadbeef'::bytea, 9007199254740993, 7)");
      await source.query('ALTER TABLE blobs ADD COLUMN note text');
      const [insert, ddl] = (await received).map((result) => {
        expect(result.errors).toBeUndefined();
        return result.data?.changes as ChangeEvent;
      });
      expect(insert?.op).toBe('INSERT');
      expect(insert?.after).toEqual({ id: '1', data: '3q2+7w==', big: '9007199254740993', small: 7 });
      expect(insert?.ddl).toBeNull();
      expect(ddl?.op).toBe('DDL');
      expect(ddl?.sourceTable).toBe('public.blobs');
      expect(ddl?.after).toBeNull();
      expect(ddl?.ddl?.action).toBe('alter');
      expect(ddl?.ddl?.statement).toMatch(/^ALTER TABLE/);
      expect(ddl?.ddl?.columns.map((column) => [column.sourceName, column.type])).toEqual([
        ['id', 'bigint'],
        ['data', 'bytea'],
        ['big', 'bigint'],
        ['small', 'integer'],
        ['note', 'text'],
      ]);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
