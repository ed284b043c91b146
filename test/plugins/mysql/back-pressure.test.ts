import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SourceTable } from '../../../core/plugin/index.js';
import { connectMysql } from '../../../plugins/mysql/connection.js';
import { mysqlPlugin } from '../../../plugins/mysql/index.js';
import { captureOffset } from '../../support/capture-offset.js';
import { createMysqlDatabase, mysqlConfig } from './mysql-contract-source.js';

const CAPACITY = 8;
const ROWS = 20_000;
/** Rows of one rows event: the server cuts them at binlog_row_event_max_size (8 KiB) of row images. */
const ONE_EVENT = 200;

describe('mysql stream back-pressure', () => {
  it('pauses the binlog socket while the consumer is slow, however large the transaction, and stops promptly when aborted', async () => {
    await using database = await createMysqlDatabase('pressure');
    await database.query('CREATE TABLE wide (id int PRIMARY KEY, payload varchar(200))');
    const peaks: number[] = [];
    let pauses = 0;
    const log = {
      debug(message: string, fields?: Record<string, unknown>) {
        if (message === 'binlog stream paused') pauses++;
        if (message === 'binlog stream resumed') peaks.push(Number(fields?.peak));
      },
      info() {},
      warn() {},
    };
    const controller = new AbortController();
    await using connection = await connectMysql(
      mysqlPlugin.configSchema.parse(mysqlConfig(database)),
      { connectorName: 'pressure', log, signal: controller.signal },
      { bufferCapacity: CAPACITY },
    );
    const [table] = (await connection.discover([`${database.name}.wide`])) as [SourceTable];
    const from = await captureOffset(connection, [table]);
    await database.query(`INSERT INTO wide SELECT seq, REPEAT(MD5(seq), 4) FROM seq_1_to_${ROWS}`);
    const events = connection.readChanges(from, { tables: [table], signal: controller.signal });
    const iterator = events[Symbol.asyncIterator]();

    let changes = 0;
    while (changes < 2_000) {
      const next = await iterator.next();
      if (next.done) throw new Error('the stream ended early');
      if (next.value.kind === 'change') changes++;
      await nextTurn();
    }
    controller.abort();
    const started = Date.now();
    const drained = (async () => {
      while (!(await iterator.next()).done) {}
      return Date.now() - started;
    })();
    const endedAfter = await Promise.race([drained, sleep(2_000, Number.POSITIVE_INFINITY)]);

    expect(pauses).toBeGreaterThan(10);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(CAPACITY + ONE_EVENT);
    expect(endedAfter).toBeLessThan(2_000);
  });
});
