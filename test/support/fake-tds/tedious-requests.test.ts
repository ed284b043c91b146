import { setTimeout as sleep } from 'node:timers/promises';
import { ISOLATION_LEVEL, Request, TYPES } from 'tedious';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTds, type FakeTdsOptions, startFakeTds } from './fake-tds-server.js';
import { FakeTdsError, type FakeTdsRequest, type ResultSet } from './result-set.js';
import { closeTedious, connectTedious, query } from './tedious-client.js';

let fake: FakeTds | undefined;
afterEach(async () => {
  await fake?.close();
  expect(fake?.errors).toEqual([]);
  fake = undefined;
});

async function serve(handler: FakeTdsOptions['handler']) {
  fake = await startFakeTds({ handler });
  return connectTedious(fake.port);
}

/** An endless result: `produced()` tells how many rows the server has encoded. */
function endless(): { set: ResultSet; produced: () => number } {
  let produced = 0;
  function* rows() {
    for (;;) yield [produced++, `row ${produced} ${'x'.repeat(40)}`];
  }
  const columns = [
    { name: 'n', type: 'int' },
    { name: 'label', type: 'nvarchar(60)' },
  ];
  return { set: { columns, rows: rows() }, produced: () => produced };
}

describe('fake TDS server: requests from the real tedious driver', () => {
  it('decodes sp_executesql parameters: int, bigint, nvarchar, varbinary, bit, decimal, dates, guid', async () => {
    const seen: FakeTdsRequest[] = [];
    const { connection } = await serve((_sql, _params, request) => {
      seen.push(request);
      return { columns: [{ name: 'ok', type: 'bit' }], rows: [[true]] };
    });
    const sql =
      "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_orders(@from, @to, N'all update old') WHERE id = @id";
    const rows = await query(connection, sql, {
      setup: (request) => {
        request.addParameter('id', TYPES.Int, 42);
        request.addParameter('big', TYPES.BigInt, '9007199254740993');
        request.addParameter('name', TYPES.NVarChar, "O'Brien \u2713");
        request.addParameter('from', TYPES.VarBinary, Buffer.from('0000002a000001f40003', 'hex'));
        request.addParameter('to', TYPES.VarBinary, null);
        request.addParameter('flag', TYPES.Bit, true);
        request.addParameter('amount', TYPES.Decimal, 1234.5678, { precision: 18, scale: 4 });
        request.addParameter('at', TYPES.DateTime2, new Date('2024-02-29T23:59:59.123Z'), { scale: 7 });
        request.addParameter('day', TYPES.Date, new Date('2024-02-29T00:00:00Z'));
        request.addParameter('zoned', TYPES.DateTimeOffset, new Date('2024-01-01T21:34:05.123Z'), {
          scale: 3,
        });
        request.addParameter('guid', TYPES.UniqueIdentifier, '6F9619FF-8B86-D011-B42D-00C04FC964FF');
      },
    });
    await closeTedious(connection);
    expect(rows).toEqual([[{ ok: true }]]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.sql).toBe(sql);
    expect(seen[0]?.params).toEqual({
      id: 42,
      big: 9007199254740993n,
      name: "O'Brien \u2713",
      from: Buffer.from('0000002a000001f40003', 'hex'),
      to: null,
      flag: true,
      amount: '1234.5678',
      at: '2024-02-29 23:59:59.1230000',
      day: '2024-02-29',
      zoned: '2024-01-01 21:34:05.123 +00:00',
      guid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    });
    expect(fake?.received.find((entry) => entry.kind === 'rpc')).toMatchObject({
      procedure: 'sp_executesql',
    });
  });

  it('returns several result sets, a row count, then an error with its number, state and class', async () => {
    const { connection } = await serve(() => [
      { columns: [{ name: 'a', type: 'int' }], rows: [[1], [2]] },
      { rowsAffected: 3 },
      { columns: [{ name: 'b', type: 'nvarchar(5)' }], rows: [['x']] },
      new FakeTdsError({
        number: 313,
        state: 3,
        severity: 16,
        message: 'An insufficient number of arguments were supplied.',
      }),
    ]);
    const sets: unknown[][] = [];
    const counts: number[] = [];
    const failure = await new Promise<unknown>((resolve) => {
      const request = new Request('SELECT many', (error) => resolve(error));
      request.on('columnMetadata', () => sets.push([]));
      request.on('row', (columns: Array<{ value: unknown }>) => sets.at(-1)?.push(columns[0]?.value));
      request.on('doneInProc', (rowCount?: number) => counts.push(rowCount ?? -1));
      connection.execSql(request);
    });
    expect(sets).toEqual([[1, 2], ['x']]);
    expect(counts).toEqual([2, 3, 1, -1]);
    expect(failure).toMatchObject({ number: 313, state: 3, class: 16 });
    expect(await query(connection, 'SELECT again').catch((error: unknown) => error)).toMatchObject({
      number: 313,
    });
    await closeTedious(connection);
  });

  it('answers BEGIN (snapshot isolation) and COMMIT transaction-manager requests with descriptors', async () => {
    const { connection } = await serve(() => ({ columns: [{ name: 'n', type: 'int' }], rows: [[7]] }));
    await new Promise<void>((resolve, reject) =>
      connection.beginTransaction(
        (error) => (error ? reject(error) : resolve()),
        'snap',
        ISOLATION_LEVEL.SNAPSHOT,
      ),
    );
    expect(await query(connection, 'SELECT n FROM t')).toEqual([[{ n: 7 }]]);
    await new Promise<void>((resolve, reject) =>
      connection.commitTransaction((error) => (error ? reject(error) : resolve())),
    );
    await closeTedious(connection);
    const transactions = fake?.received.filter((entry) => entry.kind === 'transaction');
    expect(transactions).toMatchObject([
      { request: 'begin', isolationLevel: ISOLATION_LEVEL.SNAPSHOT },
      { request: 'commit' },
    ]);
  });

  it('answers a cancel (ATTENTION) with DONE_ATTN mid-result, and the connection stays usable', async () => {
    const stream = endless();
    const { connection } = await serve((sql) =>
      sql === 'SELECT endless' ? stream.set : { rowsAffected: 0 },
    );
    let rows = 0;
    const failure = await new Promise<unknown>((resolve) => {
      const request = new Request('SELECT endless', (error) => resolve(error));
      request.on('row', () => {
        rows += 1;
        if (rows === 5) connection.cancel();
      });
      connection.execSql(request);
    });
    expect(failure).toMatchObject({ code: 'ECANCEL' });
    expect(fake?.received.some((entry) => entry.kind === 'attention')).toBe(true);
    expect(await query(connection, 'UPDATE t SET x = 1')).toEqual([]);
    await closeTedious(connection);
  });

  it('stalls mid-result on request; tedious requestTimeout does not fire once rows flowed, a cancel ends it', async () => {
    const stall: ResultSet = {
      columns: [{ name: 'n', type: 'int' }],
      rows: [[1], [2], [3], [4]],
      stallAfterRows: 2,
    };
    fake = await startFakeTds({ handler: (sql) => (sql === 'SELECT stall' ? stall : { rowsAffected: 1 }) });
    const { connection } = await connectTedious(fake.port, { requestTimeout: 200 });
    let rows = 0;
    let settled = false;
    const outcome = query(connection, 'SELECT stall', {
      setup: (request) => request.on('row', () => (rows += 1)),
    })
      .catch((error: unknown) => error)
      .finally(() => {
        settled = true;
      });
    await expect.poll(() => rows).toBe(2);
    await sleep(600);
    expect(settled).toBe(false);
    connection.cancel();
    expect(await outcome).toMatchObject({ code: 'ECANCEL' });
    expect(rows).toBe(2);
    expect(fake.received.filter((entry) => entry.kind === 'attention')).toHaveLength(1);
    expect(await query(connection, 'UPDATE t SET x = 1')).toEqual([]);
    await closeTedious(connection);
  });

  it('honours back-pressure: a paused tedious request stops the server, resuming delivers all 30k rows of 800 bytes', async () => {
    let produced = 0;
    const total = 30_000;
    function* rows() {
      while (produced < total) yield [produced++, 'x'.repeat(400)];
    }
    const columns = [
      { name: 'n', type: 'int' },
      { name: 'label', type: 'nvarchar(400)' },
    ];
    const { connection } = await serve(() => ({ columns, rows: rows() }));
    let received = 0;
    let request: Request | undefined;
    const finished = new Promise<number>((resolve, reject) => {
      request = new Request('SELECT big', (error, rowCount) =>
        error ? reject(error) : resolve(rowCount ?? -1),
      );
      request.on('row', () => {
        received += 1;
        if (received === 1) request?.pause();
      });
      connection.execSql(request);
    });
    const settledOnce = async () => {
      const before = produced;
      await sleep(200);
      return produced === before && fake?.stats.waitingForDrain === true;
    };
    await expect.poll(settledOnce, { timeout: 10_000 }).toBe(true);
    const whilePaused = produced;
    await sleep(300);
    expect(produced).toBe(whilePaused);
    // What the kernel and tedious buffer (a few MB), not the 24 MB result.
    expect(produced).toBeLessThan(total / 2);
    expect(fake?.stats.bytesWritten).toBeLessThan(12_000_000);
    expect(fake?.stats.drainWaits).toBeGreaterThan(0);
    request?.resume();
    expect(await finished).toBe(total);
    expect(received).toBe(total);
    await closeTedious(connection);
  });
});
