import { beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCode, gql } from '../support/graphql-http.js';
import { useFileServer } from '../support/test-runtime.js';

interface DeadLetterView {
  id: string;
  sourceTable: string | null;
  offset: string | null;
  event: unknown;
  error: string;
  createdAt: string;
}

const PAGE = `query ($limit: Int!, $offset: Int!) {
  connector(name: "dl_src") { deadLetters(limit: $limit, offset: $offset) { id sourceTable offset event error createdAt } }
}`;

const harness = useFileServer(inject('targetClusterUrl'));

const page = (limit: number, offset: number) =>
  gql<{ connector: { deadLetters: DeadLetterView[] } }>(harness.server.url, PAGE, { limit, offset });

beforeAll(async () => {
  const added = await gql(
    harness.server.url,
    `mutation { addConnector(input: { name: "dl_src", type: "memory", host: "h", port: 1, user: "u",
      password: "p", database: "d", errorStrategy: SKIP }) { name } }`,
  );
  expect(added.errors).toBeUndefined();
  for (let i = 1; i <= 7; i++) {
    await harness.db.query(
      `INSERT INTO tributary.dead_letters (connector, source_table, "offset", event, error)
       VALUES ('dl_src', 'shop.orders', $1, $2, $3)`,
      [`000${i}`, JSON.stringify({ op: 'c', after: { id: i } }), `bad value in row ${i}`],
    );
  }
});

describe('Connector.deadLetters', () => {
  it('lists dead letters newest first with their event and error', async () => {
    const result = await page(100, 0);
    expect(result.errors).toBeUndefined();
    const letters = result.data?.connector.deadLetters ?? [];
    expect(letters.map((d) => d.offset)).toEqual(['0007', '0006', '0005', '0004', '0003', '0002', '0001']);
    expect(letters[0]).toMatchObject({
      sourceTable: 'shop.orders',
      event: { op: 'c', after: { id: 7 } },
      error: 'bad value in row 7',
    });
    expect(new Date(letters[0]?.createdAt ?? '').getTime()).not.toBeNaN();
  });

  it('pages with limit and offset', async () => {
    const second = await page(3, 3);
    expect(second.data?.connector.deadLetters.map((d) => d.offset)).toEqual(['0004', '0003', '0002']);
    const past = await page(3, 7);
    expect(past.data?.connector.deadLetters).toEqual([]);
  });

  it('defaults to the first 100', async () => {
    const result = await gql<{ connector: { deadLetters: { id: string }[] } }>(
      harness.server.url,
      '{ connector(name: "dl_src") { deadLetters { id } } }',
    );
    expect(result.data?.connector.deadLetters).toHaveLength(7);
  });

  it('refuses a limit outside 1..1000 or a negative offset', async () => {
    for (const [limit, offset] of [
      [0, 0],
      [5000, 0],
      [10, -1],
    ] as const) {
      const result = await page(limit, offset);
      expect(errorCode(result)).toBe('INVALID_INPUT');
      expect(result.errors?.[0]?.message).toMatch(
        limit === 10 ? /offset must be 0 or more/ : /limit must be between 1 and 1000/,
      );
    }
  });
});
