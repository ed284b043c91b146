import { describe, expect, inject, it } from 'vitest';
import { gql } from '../support/graphql-http.js';
import { useFileServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const harness = useFileServer(inject('targetClusterUrl'));

interface View {
  active: boolean;
  state: { state: string; error: string | null };
}

/** Adds and starts a connector to the server at `url` with a wrong password; returns its view once it shows an error. */
async function startWithWrongPassword(
  name: string,
  url: string,
  input: Record<string, unknown>,
): Promise<View> {
  const at = new URL(url);
  const added = await gql(
    harness.server.url,
    `mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } startConnector(name: "${name}") { name } }`,
    {
      i: {
        name,
        host: at.hostname,
        port: Number(at.port),
        user: decodeURIComponent(at.username),
        password: 'not-the-password',
        ...input,
      },
    },
  );
  expect(added.errors).toBeUndefined();
  return waitFor(`${name} to show the refusal`, async () => {
    const result = await gql<{ connector: View }>(
      harness.server.url,
      `{ connector(name: "${name}") { active state { state error } } }`,
    );
    const view = result.data?.connector;
    return view?.state.error ? view : undefined;
  });
}

describe('a source that refuses the login', () => {
  it('stops a PostgreSQL connector under EXIT with the server’s refusal, instead of retrying it forever', async () => {
    const view = await startWithWrongPassword('pg_refused', inject('sourceClusterUrl'), {
      type: 'postgres',
      database: 'postgres',
      schema: 'public',
    });
    expect(view.state).toMatchObject({
      state: 'STOPPED',
      error: expect.stringMatching(/password authentication failed/),
    });
  });

  it('stops a MySQL connector under EXIT with the server’s refusal', async () => {
    const view = await startWithWrongPassword('my_refused', inject('mariadbUrl'), {
      type: 'mysql',
      database: 'mysql',
    });
    expect(view.state).toMatchObject({ state: 'STOPPED', error: expect.stringMatching(/Access denied/) });
  });

  it('keeps retrying with back-off under RETRY, showing the refusal', async () => {
    const view = await startWithWrongPassword('pg_refused_retry', inject('sourceClusterUrl'), {
      type: 'postgres',
      database: 'postgres',
      schema: 'public',
      errorStrategy: 'RETRY',
    });
    expect(view).toMatchObject({
      active: true,
      state: { state: 'RESTARTING', error: expect.stringMatching(/password authentication failed/) },
    });
  });
});
