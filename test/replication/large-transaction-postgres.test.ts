import { inject } from 'vitest';
import { postgresConfig } from '../plugins/postgres/postgres-contract-source.js';
import { createTestDatabase } from '../support/test-database.js';
import {
  describeLargeTransaction,
  LARGE_TRANSACTION_ROWS,
  type LargeTransactionSource,
} from './large-transaction-scenario.js';

const LINE = `concat_ws('|', id, amount, note, to_char("at", 'YYYY-MM-DD HH24:MI:SS.US'))`;

async function postgresSource(): Promise<LargeTransactionSource> {
  const source = await createTestDatabase(inject('sourceClusterUrl'), 'bigsrc');
  const target = await createTestDatabase(inject('targetClusterUrl'), 'bigdst');
  const lines = async (db: typeof source, table: string, from: number, to: number) =>
    (
      await db.query<{ line: string }>(`SELECT ${LINE} AS line FROM ${table} WHERE id >= $1 AND id < $2`, [
        from,
        to,
      ])
    ).rows
      .map((row) => row.line)
      .sort();
  return {
    targetUrl: target.url,
    async prepare() {
      await source.query(
        'CREATE TABLE big (id bigint PRIMARY KEY, amount numeric(14,2), note text, "at" timestamp)',
      );
      return { type: 'postgres', ...postgresConfig(source), schema: 'public', tables: ['public.big'] };
    },
    async commitOneTransaction() {
      await source.query(
        `INSERT INTO big SELECT g, g * 1.25, repeat(md5(g::text), 2), '2026-01-01'::timestamp + g * interval '1 second'
           FROM generate_series(1, ${LARGE_TRANSACTION_ROWS}) g`,
      );
    },
    sourceLines: (from, to) => lines(source, 'public.big', from, to),
    targetLines: (from, to) => lines(target, `"${source.name}".big`, from, to),
    async [Symbol.asyncDispose]() {
      await source[Symbol.asyncDispose]();
      await target[Symbol.asyncDispose]();
    },
  };
}

describeLargeTransaction('a PostgreSQL source', postgresSource);
