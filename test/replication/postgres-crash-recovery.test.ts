import { inject } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
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
      WHEN 1 THEN INSERT INTO accounts VALUES (10000000 + seed * 1000000 + i, i, 'new', now()) ON CONFLICT (id) DO NOTHING;
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
    sourceRows: (table) => lines(source, `public.${table}`),
    targetRows: (_url, table) => lines(target, `"${source.name}".${table}`),
    async [Symbol.asyncDispose]() {
      await source[Symbol.asyncDispose]();
      await target[Symbol.asyncDispose]();
    },
  };
}

describeCrashRecovery('a PostgreSQL source', postgresCrashSource);
