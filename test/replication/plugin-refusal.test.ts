import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { defineSourcePlugin, SourceRefusedError } from '../../core/plugin/index.js';
import { builtinSources } from '../../plugins/builtin.js';
import { MemoryDatabase, memoryPlugin, registerMemoryDatabase } from '../../plugins/memory/index.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTestServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

let logins = 0;

/** A third-party plugin whose source refuses every password but `right`, the way SQL Server says ELOGIN. */
const guardedPlugin = defineSourcePlugin({
  ...memoryPlugin,
  kind: 'guarded',
  title: 'Memory behind a password',
  async connect(config, context) {
    logins++;
    if (config.password !== 'right') {
      throw new SourceRefusedError(`login failed for user ${config.user}`, {
        cause: Object.assign(new Error('Login failed'), { code: 'ELOGIN' }),
      });
    }
    return memoryPlugin.connect(config, context);
  },
});

interface View {
  active: boolean;
  state: { state: string; error: string | null };
}

describe('a plugin that throws SourceRefusedError', () => {
  it('is stopped under EXIT after one login, with the refusal in state.error and no retry loop', async () => {
    registerMemoryDatabase(new MemoryDatabase('guarded_db'));
    await using target = await createTestDatabase(inject('targetClusterUrl'));
    await using server = await startTestServer(
      target.url,
      {},
      {
        plugins: [...builtinSources.plugins, { plugin: guardedPlugin, origin: 'package "guarded"' }],
        typeMaps: builtinSources.typeMaps,
      },
    );
    const added = await gql(
      server.url,
      `mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } startConnector(name: "guarded") { name } }`,
      {
        i: {
          name: 'guarded',
          type: 'guarded',
          host: 'localhost',
          port: 1,
          user: 'reader',
          password: 'wrong',
          database: 'guarded_db',
        },
      },
    );
    expect(added.errors).toBeUndefined();
    const view = await waitFor('the refusal to show', async () => {
      const result = await gql<{ connector: View }>(
        server.url,
        '{ connector(name: "guarded") { active state { state error } } }',
      );
      const seen = result.data?.connector;
      return seen?.state.error ? seen : undefined;
    });
    expect(view.state).toMatchObject({
      state: 'STOPPED',
      error: expect.stringMatching(/login failed for user reader/),
    });
    // a retry would come after about a second of back-off
    await sleep(2_500);
    expect(logins).toBe(1);
  });
});
