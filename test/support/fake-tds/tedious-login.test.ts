import { describe, expect, it } from 'vitest';
import { startFakeTds } from './fake-tds-server.js';
import { closeTedious, connectTedious, query } from './tedious-client.js';

const users = { tributary: 'secret' };
const databases = ['testDB'];
const one = () => ({ columns: [{ name: 'one', type: 'int' }], rows: [[1]] });

describe('fake TDS server: login with the real tedious driver', () => {
  it('accepts a login, reports the database and answers a query', async () => {
    await using fake = await startFakeTds({ users, databases, handler: one });
    const { connection } = await connectTedious(fake.port);
    expect(await query(connection, 'SELECT 1 AS one', { batch: true })).toEqual([[{ one: 1 }]]);
    await closeTedious(connection);
    const login = fake.received.find((entry) => entry.kind === 'login7');
    expect(login).toMatchObject({ user: 'tributary', database: 'testDB', encrypted: false, accepted: true });
    expect(fake.received.filter((entry) => entry.kind === 'batch').map((entry) => entry.sql)).toContain(
      'SELECT 1 AS one',
    );
    expect(fake.errors).toEqual([]);
  });

  it('refuses a wrong password with error 18456, which tedious surfaces only through errorMessage', async () => {
    await using fake = await startFakeTds({ users, databases, handler: one });
    const failure = await connectTedious(fake.port, {}, { password: 'wrong' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'ELOGIN', message: "Login failed for user 'tributary'." });
    expect((failure as { messages: { numbers: number[] } }).messages.numbers).toEqual([18456]);
    expect(fake.received.filter((entry) => entry.kind === 'login7')).toMatchObject([{ accepted: false }]);
  });

  it('refuses an unknown database with 4060 then 18456, and tedious does not retry it', async () => {
    await using fake = await startFakeTds({ users, databases, handler: one });
    const failure = await connectTedious(fake.port, { database: 'nope' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ELOGIN', message: "Login failed for user 'tributary'." });
    expect((failure as { messages: { numbers: number[] } }).messages.numbers).toEqual([4060, 18456]);
    expect(fake.received.filter((entry) => entry.kind === 'login7')).toHaveLength(1);
  });
});
