import { describe, expect, it } from 'vitest';
import { HistoryLostError, SourceRefusedError, SourceUnavailableError } from '../../../core/errors.js';
import { unavailable } from '../../../core/plugin/source-errors.js';
import { BadEventError } from '../../../core/replication/bad-event-error.js';
import { PrerequisiteError } from '../../../core/replication/prerequisite-error.js';
import { retryDelayMs } from '../../../core/replication/retry-backoff.js';
import { isTransientError } from '../../../core/replication/transient-error.js';
import type { PendingChange } from '../../../core/target/apply-changes.js';

const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isTransientError', () => {
  it.each([
    ['connection refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', coded('ECONNRESET', 'read ECONNRESET')],
    ['a broken pipe', coded('EPIPE')],
    ['a socket timeout', coded('ETIMEDOUT')],
    ['PostgreSQL admin shutdown', coded('57P01', 'terminating connection due to administrator command')],
    ['PostgreSQL crash shutdown', coded('57P02')],
    ['PostgreSQL cannot connect now', coded('57P03', 'the database system is starting up')],
    ['a class 08 connection exception', coded('08006')],
    [
      'MySQL connection lost',
      coded('PROTOCOL_CONNECTION_LOST', 'Connection lost: The server closed the connection.'),
    ],
    ['node-postgres ending a dead client', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a mysql2 command on a closed connection',
      new Error("Can't add new command when connection is in closed state"),
    ],
    ['SourceUnavailableError', new SourceUnavailableError('reading the binary log: boom')],
    ['an unavailable() wrapping', unavailable('connecting', new Error('whatever'), 'secret')],
    ['a wrapped reset', new Error('applying a batch', { cause: coded('ECONNRESET') })],
    ['an AggregateError of refusals', new AggregateError([coded('ECONNREFUSED')], 'connect failed')],
  ])('treats %s as transient', (_, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a bad event', new BadEventError('no row with id 1', {} as PendingChange)],
    ['failed prerequisites', new PrerequisiteError([{ name: 'wal_level', ok: false, detail: 'replica' }])],
    ['lost history', new HistoryLostError('the slot is gone', { cause: coded('ECONNRESET') })],
    ['a constraint violation', coded('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', coded('42601')],
    ['a plain error', new Error('none of the selected tables exist at the source')],
    ['a refusal from any plugin', new SourceRefusedError('login refused', { cause: coded('ELOGIN') })],
    [
      'a refusal wrapped by unavailable()',
      unavailable('connecting', coded('28P01', 'password authentication failed'), 'pw', () => true),
    ],
    ['a PostgreSQL database that does not exist', coded('3D000', 'database "nope" does not exist')],
    ['a MySQL database that does not exist', coded('ER_BAD_DB_ERROR', "Unknown database 'nope'")],
    ['a non-error', 'boom'],
    ['undefined', undefined],
  ])('does not treat %s as transient', (_, error) => {
    expect(isTransientError(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = new Error('b', { cause: a });
    expect(isTransientError(a)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('doubles from 1 s up to 60 s with ±20 % jitter', () => {
    expect([0, 1, 2, 5, 6, 20].map((attempt) => retryDelayMs(attempt, () => 0.5))).toEqual([
      1_000, 2_000, 4_000, 32_000, 60_000, 60_000,
    ]);
    expect(retryDelayMs(0, () => 0)).toBe(800);
    expect(retryDelayMs(0, () => 1)).toBe(1_200);
  });
});
