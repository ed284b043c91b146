import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SourceTable } from '../../../core/plugin/index.js';
import { lsnFromText, parseOffset } from '../../../plugins/postgres/offset.js';
import { postgresFixture } from './postgres-fixture.js';

const CAPACITY = 8;
const ROWS = 20_000;
/** One 64 KiB socket read of these transactions holds ~40 of them: Begin, Insert and Commit each. */
const ONE_READ = 150;

describe('postgres stream back-pressure', () => {
  it('pauses the replication socket while the consumer is slow and stops promptly when aborted', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE wide (id int PRIMARY KEY, payload text)');
    const peaks: number[] = [];
    let pauses = 0;
    const log = {
      debug(message: string, fields?: Record<string, unknown>) {
        if (message === 'replication stream paused') pauses++;
        if (message === 'replication stream resumed') peaks.push(Number(fields?.peak));
      },
      info() {},
      warn() {},
    };
    const connection = await fixture.connect({
      connectorName: 'pressure',
      tuning: { bufferCapacity: CAPACITY },
      log,
    });
    const [table] = (await connection.discover(['public.wide'])) as [SourceTable];
    await using capture = await connection.startCapture([table]);
    await fixture.sql(
      `DO $$ BEGIN FOR i IN 1..${ROWS} LOOP
         INSERT INTO wide VALUES (i, repeat(md5(i::text), 48)); COMMIT;
       END LOOP; END $$`,
    );
    const [{ lsn: end } = { lsn: '0/0' }] = await fixture.sql<{ lsn: string }>(
      'SELECT pg_current_wal_lsn()::text AS lsn',
    );
    const controller = new AbortController();
    const events = connection.readChanges(capture.startOffset, {
      tables: [table],
      signal: controller.signal,
    });
    const iterator = events[Symbol.asyncIterator]();

    let changes = 0;
    while (changes < 1_000) {
      const next = await iterator.next();
      if (next.done) throw new Error('the stream ended early');
      if (next.value.kind === 'change') changes++;
      await nextTurn();
    }
    await sleep(1_000);
    const [{ sent } = { sent: '0/0' }] = await fixture.sql<{ sent: string }>(
      `SELECT sent_lsn::text AS sent FROM pg_stat_replication
       WHERE pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'tributary_pressure')`,
    );
    controller.abort();
    const started = Date.now();
    const drained = (async () => {
      while (!(await iterator.next()).done) {}
      return Date.now() - started;
    })();
    const endedAfter = await Promise.race([drained, sleep(2_000, Number.POSITIVE_INFINITY)]);

    const start = parseOffset(capture.startOffset);
    const total = lsnFromText(end) - start;
    expect(pauses).toBeGreaterThan(10);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(CAPACITY + ONE_READ);
    expect(lsnFromText(sent) - start).toBeLessThan(total / 2n);
    expect(endedAfter).toBeLessThan(2_000);
  });
});
