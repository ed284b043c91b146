import { inject } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';
import { type CrashSource, describeCrashRecovery } from './crash-scenario.js';

const ROWS = 300_000;

const SETUP = `
CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(14,2) NOT NULL, note text, touched timestamptz);
INSERT INTO accounts SELECT g, g * 1.25, repeat(md5(g::text), 3), '2026-01-01'::timestamptz + g * interval '1 second'
  FROM generate_series(1, ${ROWS}) g;
CREATE TABLE ledger (account bigint, amount numeric(14,2));
ALTER TABLE ledger REPLICA IDENTITY FULL;
CREATE PROCEDURE churn(n int, seed int) LANGUAGE plpgsql AS $$
DECLARE i int; k bigint;
BEGIN
  FOR i IN 1..n LOOP
    k := (i::bigint * 7919 + seed * 104729) % ${ROWS} + 1;
    CASE i % 5
      WHEN 0 THEN UPDATE accounts SET balance = balance + 1, note = 'u' || i, touched = now() WHERE id = k;
      WHEN 1 THEN INSERT INTO accounts VALUES (10000000 + seed * 10000 + i, i, 'new', now()) ON CONFLICT (id) DO NOTHING;
      WHEN 2 THEN DELETE FROM accounts WHERE id = k;
      WHEN 3 THEN UPDATE accounts SET id = id + 50000000 WHERE id = k;
      ELSE INSERT INTO ledger VALUES (k, i);
    END CASE;
    IF i % 40 = 0 THEN COMMIT; END IF;
  END LOOP;
END $$;`;

async function postgresCrashSource(): Promise<CrashSource> {
  const source = await createTestDatabase(inject('sourceClusterUrl'), 'crashsrc');
  const target = await createTestDatabase(inject('targetClusterUrl'), 'crashdst');
  const lines = async (db: typeof source, table: string) =>
    (await db.query<{ line: string }>(`SELECT t::text AS line FROM ${table} t ORDER BY 1`)).rows.map(
      (r) => r.line,
    );
  return {
    accountRows: ROWS,
    targetUrl: target.url,
    async prepare() {
      await source.query(SETUP);
      const url = new URL(source.url);
      return {
        connector: {
          type: 'postgres',
          host: url.hostname,
          port: Number(url.port),
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
          database: source.name,
          schema: 'public',
          tables: ['public.accounts', 'public.ledger'],
        },
      };
    },
    churn: (n, seed) => source.query(`CALL churn(${n}, ${seed})`),
    async acknowledged() {
      const { rows } = await waitFor(
        'the slot to be released',
        async () => {
          const found = await source.query<{ lsn: string | null; active: boolean }>(
            'SELECT confirmed_flush_lsn::text AS lsn, active FROM pg_replication_slots WHERE database = $1',
            [source.name],
          );
          return found.rows.every((row) => !row.active) ? found : undefined;
        },
        5_000,
        20,
      );
      const [high = '0', low = '0'] = (rows[0]?.lsn ?? '0/0').split('/');
      return rows[0]?.lsn ? `${high.padStart(8, '0')}${low.padStart(8, '0')}`.toUpperCase() : null;
    },
    sourceRows: (table) => lines(source, `public.${table}`),
    targetRows: (_url, table) => lines(target, `"${source.name}".${table}`),
    async [Symbol.asyncDispose]() {
      await source[Symbol.asyncDispose]();
      await target[Symbol.asyncDispose]();
    },
  };
}

describeCrashRecovery('a PostgreSQL source', postgresCrashSource);
