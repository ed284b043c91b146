import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropMemoryDatabase, MemoryDatabase, registerMemoryDatabase } from '../../plugins/memory/index.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

interface View {
  active: boolean;
  state: { state: string; error: string | null };
}

let target: TestDatabase;
let server: TestServer;
const DATABASE = 'capture_off';

const view = async (name: string) =>
  (
    await gql<{ connector: View }>(
      server.url,
      `{ connector(name: "${name}") { active state { state error } } }`,
    )
  ).data?.connector;

/** Adds a connector on the memory database whose capture is off (a failing prerequisite) and starts it. */
async function startFailing(name: string, errorStrategy: string): Promise<void> {
  const result = await gql(
    server.url,
    `mutation { addConnector(input: { name: "${name}", type: "memory", host: "h", port: 1, user: "u", password: "p", database: "${DATABASE}", errorStrategy: ${errorStrategy} }) { name } startConnector(name: "${name}") { active } }`,
  );
  expect(result.errors).toBeUndefined();
}

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  server = await startTestServer(target.url);
  const source = registerMemoryDatabase(new MemoryDatabase(DATABASE));
  source.settings.captureEnabled = false;
  source.createTable('items', { columns: [{ name: 'id', type: 'integer' }], primaryKey: ['id'] });
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
  dropMemoryDatabase(DATABASE);
});

describe('active after a failed start', () => {
  it('is cleared when a start fails under EXIT or SKIP: STOPPED with the error, no longer active', async () => {
    await startFailing('fails_exit', 'EXIT');
    await startFailing('fails_skip', 'SKIP');
    for (const name of ['fails_exit', 'fails_skip']) {
      const stopped = await waitFor(`${name} to stop`, async () => {
        const current = await view(name);
        return current?.state.state === 'STOPPED' ? current : undefined;
      });
      expect(stopped).toEqual({
        active: false,
        state: { state: 'STOPPED', error: expect.stringMatching(/capture_enabled/) },
      });
      expect(server.runtime.services.engine.isRunning(name)).toBe(false);
    }
  });

  it('stays set when the failure is retried under RETRY: RESTARTING with the error', async () => {
    await startFailing('fails_retry', 'RETRY');
    const retrying = await waitFor('fails_retry to show the error', async () => {
      const current = await view('fails_retry');
      return current?.state.error ? current : undefined;
    });
    expect(retrying).toEqual({
      active: true,
      state: { state: 'RESTARTING', error: expect.stringMatching(/capture_enabled/) },
    });
  });

  it('decides what a server start relaunches: the retried connector again, never the stopped ones', async () => {
    const { secretKey } = server;
    await server[Symbol.asyncDispose]();
    server = await startTestServer(target.url, { TRIBUTARY_SECRET_KEY: secretKey });
    const { engine } = server.runtime.services;
    expect(engine.isRunning('fails_retry')).toBe(true);
    expect(engine.isRunning('fails_exit')).toBe(false);
    expect(engine.isRunning('fails_skip')).toBe(false);
    expect(await view('fails_exit')).toEqual({
      active: false,
      state: { state: 'STOPPED', error: expect.stringMatching(/capture_enabled/) },
    });
    const relaunched = server.logs.filter((line) => line.includes('"connector":"fails_exit"'));
    expect(relaunched).toEqual([]);
  });
});
