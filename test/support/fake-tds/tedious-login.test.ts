import { describe, expect, it } from 'vitest';
import { startFakeTds } from './fake-tds-server.js';
import { closeTedious, connectTedious, query } from './tedious-client.js';

const users = { tributary: 'secret' };
const databases = ['testDB'];

describe('fake TDS server: login with the real tedious driver', () => {
  it('accepts a login, reports the database and answers a query', async () => {
    await using fake = await startFakeTds({
      users,
      databases,
      handler: () => ({ columns: [{ name: 'one', type: 'int' }], rows: [[1]] }),
    });
    const { connection } = await connectTedious(fake.port);
    const databaseChanges: string[] = [];
    expect(await query(connection, 'SELECT 1 AS one', { batch: true })).toEqual([[{ one: 1 }]]);
    await closeTedious(connection);
    expect(databaseChanges).toEqual([]);
    const login = fake.received.find((entry) => entry.kind === 'login7');
    expect(login).toMatchObject({ user: 'tributary', database: 'testDB', encrypted: false, accepted: true });
    expect(fake.received.filter((entry) => entry.kind === 'batch').map((entry) => entry.sql)).toContain(
      'SELECT 1 AS one',
    );
  });
});
