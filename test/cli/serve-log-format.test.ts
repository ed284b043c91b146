import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const PASSWORD = 'pretty-secret-9d81c2';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
});
afterAll(async () => {
  await db?.[Symbol.asyncDispose]();
});

describe('tributary serve --log-format pretty', () => {
  it('prints human log lines, not JSON, from start to stop, and never a password', async () => {
    const server = await startServerProcess(
      { TRIBUTARY_DATABASE_URL: db.url, TRIBUTARY_SECRET_KEY: generateKey(), TRIBUTARY_LOG_LEVEL: 'debug' },
      ['--log-format', 'pretty'],
    );
    try {
      const added = await gql(
        server.url,
        'mutation ($p: String!) { addConnector(input: { name: "human", type: "memory", host: "h", port: 1, user: "u", password: $p, database: "d" }) { name } }',
        { p: PASSWORD },
      );
      expect(added.errors).toBeUndefined();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.find((line) => line.includes('Tributary ready at'))).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [^\]]*\] INFO.*: Tributary ready at http:\/\/127\.0\.0\.1:\d+\/graphql/,
    );
    expect(lines.some((line) => /INFO.*: stopped/.test(line))).toBe(true);
    expect(lines.filter((line) => line.trimStart().startsWith('{"'))).toEqual([]);
    expect(server.output()).not.toContain(PASSWORD);
  }, 60_000);
});
