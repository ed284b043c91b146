import { describe, expect, it } from 'vitest';
import type { Row, SourceEvent, SourceTable } from '../../../core/plugin/index.js';
import type { PostgresConnection } from '../../../plugins/postgres/connection.js';
import { applyByKey } from '../../contract/replica-model.js';
import { postgresFixture } from './postgres-fixture.js';

const ROWS = 20_000;
const SETUP = `
CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(14,2) NOT NULL, note text);
INSERT INTO accounts SELECT g, g * 1.25, repeat(md5(g::text), 3) FROM generate_series(1, ${ROWS}) g;
CREATE PROCEDURE churn(n int, seed int) LANGUAGE plpgsql AS $$
DECLARE i int; k bigint;
BEGIN
  FOR i IN 1..n LOOP
    k := (i::bigint * 7919 + seed * 104729) % ${ROWS} + 1;
    CASE i % 4
      WHEN 0 THEN UPDATE accounts SET balance = balance + 1, note = 'u' || i WHERE id = k;
      WHEN 1 THEN INSERT INTO accounts VALUES (10000000 + seed * 1000000 + i, i, 'new') ON CONFLICT (id) DO NOTHING;
      WHEN 2 THEN DELETE FROM accounts WHERE id = k;
      ELSE UPDATE accounts SET id = id + 50000000 WHERE id = k;
    END CASE;
    IF i % 40 = 0 THEN COMMIT; END IF;
  END LOOP;
END $$;`;

/**
 * Streams from `from`, applying each transaction at its checkpoint and acknowledging it; stops
 * after `transactions` checkpoints or once `done` holds. Returns the last checkpoint.
 */
async function applyUntil(
  connection: PostgresConnection,
  table: SourceTable,
  from: string,
  rows: Map<unknown, Row>,
  stop: (checkpoints: number) => boolean,
): Promise<string> {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 60_000);
  let pending: SourceEvent[] = [];
  let last = from;
  let checkpoints = 0;
  try {
    for await (const event of connection.readChanges(from, { tables: [table], signal: controller.signal })) {
      if (event.kind !== 'checkpoint') {
        pending.push(event);
        continue;
      }
      for (const change of pending) applyByKey(rows, change);
      pending = [];
      last = event.offset;
      await connection.ack(last);
      if (stop(++checkpoints)) return last;
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  throw new Error(`the stream ended after ${checkpoints} checkpoints`);
}

describe('postgres stream restarts', () => {
  it('reproduces the source exactly from a snapshot taken under load and a stream restarted at acknowledged checkpoints', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(SETUP);
    const connection = await fixture.connect({ options: { heartbeatIntervalMs: 100 } });
    const [table] = (await connection.discover(['public.accounts'])) as [SourceTable];
    const duringSnapshot = fixture.source.database.query('CALL churn(8000, 1)');
    const rows = new Map<unknown, Row>();
    let from: string;
    {
      await using capture = await connection.startCapture([table]);
      from = capture.startOffset;
      for await (const batch of capture.readTable(table, {
        batchSize: 5_000,
        signal: AbortSignal.timeout(60_000),
      }))
        for (const row of batch) rows.set(row.id, row);
    }
    await duringSnapshot;
    const duringStream = fixture.source.database.query('CALL churn(20000, 2)');

    for (let restart = 0; restart < 6; restart++) {
      from = await applyUntil(connection, table, from, rows, (checkpoints) => checkpoints > 5 + restart * 7);
    }
    await duringStream;
    await fixture.sql(`INSERT INTO accounts VALUES (-1, 0, 'the end')`);
    await applyUntil(connection, table, from, rows, () => rows.has('-1'));

    const expected = await fixture.sql<Row>('SELECT * FROM accounts ORDER BY id');
    const actual = [...rows.values()].sort((a, b) => Number(a.id) - Number(b.id));
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
  });
});
