import { describe, expect, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { memoryOf } from '../support/process-memory.js';
import { startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';
import { diffLines } from './crash-scenario.js';

/** Rows the one source transaction writes. */
export const LARGE_TRANSACTION_ROWS = 1_000_000;
/** The ceiling on the server's peak resident set size while it applies them. */
const PEAK_RSS_LIMIT_MB = 300;
/** Keys compared per round trip, so the comparison itself stays small. */
const COMPARE_SLICE = 100_000;

/**
 * A source holding an empty table `big (id bigint primary key, amount decimal, note text, at
 * timestamp)` into which one transaction inserts rows 1..LARGE_TRANSACTION_ROWS.
 */
export interface LargeTransactionSource extends AsyncDisposable {
  /** The destination PostgreSQL database (URL) the server runs on. */
  readonly targetUrl: string;
  /** Creates the empty table; returns the connector's source settings. */
  prepare(): Promise<Record<string, unknown>>;
  /** Inserts every row in one source transaction; resolves once it committed. */
  commitOneTransaction(): Promise<void>;
  /** Rows with `from <= id < to` as comparable text lines, sorted, on the source... */
  sourceLines(from: number, to: number): Promise<string[]>;
  /** ...and at the destination. */
  targetLines(from: number, to: number): Promise<string[]>;
}

interface View {
  state: { stage: string; state: string; error: string | null };
  stats: { creates: number; transactions: number };
}

/**
 * Bounded memory whatever the transaction size: one source transaction of a million rows is
 * applied completely, as one target commit, while the real server process's peak RSS stays under
 * 300 MB; the destination then equals the source row by row.
 */
export function describeLargeTransaction(title: string, open: () => Promise<LargeTransactionSource>): void {
  describe(`one large transaction from ${title}`, () => {
    it(`applies a single ${LARGE_TRANSACTION_ROWS.toLocaleString('en')}-row transaction with the server's peak RSS under ${PEAK_RSS_LIMIT_MB} MB`, async () => {
      await using source = await open();
      const connector = await source.prepare();
      await using server = await startServerProcess({
        TRIBUTARY_DATABASE_URL: source.targetUrl,
        TRIBUTARY_SECRET_KEY: generateKey(),
      });
      const pid = server.child.pid ?? 0;
      const view = async () => {
        const result = await gql<{ connector: View }>(
          server.url,
          '{ connector(name: "big") { state { stage state error } stats { creates transactions } } }',
        );
        expect(result.errors).toBeUndefined();
        const current = result.data?.connector as View;
        expect(current.state.error).toBeNull();
        return current;
      };
      const added = await gql(
        server.url,
        'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } startConnector(name: "big") { name } }',
        { i: { name: 'big', ...connector } },
      );
      expect(added.errors).toBeUndefined();
      await waitFor('the connector to stream', async () =>
        (await view()).state.stage === 'CHANGE_DATA_CAPTURE' ? true : undefined,
      );
      const before = memoryOf(pid);

      const began = Date.now();
      await source.commitOneTransaction();
      const committedAfter = Date.now() - began;
      let highest = 0;
      const applied = await waitFor(
        'every row to be applied',
        async () => {
          highest = Math.max(highest, memoryOf(pid).rss);
          const current = await view();
          return current.stats.creates >= LARGE_TRANSACTION_ROWS ? current : undefined;
        },
        240_000,
        200,
      );
      const { peak } = memoryOf(pid);
      console.log(
        `[${title}] ${LARGE_TRANSACTION_ROWS} rows committed at the source in ${(committedAfter / 1000).toFixed(1)} s, applied after ${((Date.now() - began) / 1000).toFixed(1)} s; RSS ${before.rss.toFixed(0)} MB before, ${highest.toFixed(0)} MB highest sampled, ${peak.toFixed(0)} MB peak (VmHWM)`,
      );
      expect(applied.stats.creates).toBe(LARGE_TRANSACTION_ROWS);
      expect(peak, 'peak RSS of the server in MB').toBeLessThan(PEAK_RSS_LIMIT_MB);

      for (let from = 1; from <= LARGE_TRANSACTION_ROWS; from += COMPARE_SLICE) {
        const to = from + COMPARE_SLICE;
        const expected = await source.sourceLines(from, to);
        expect(expected).toHaveLength(COMPARE_SLICE);
        expect(diffLines(expected, await source.targetLines(from, to)), `ids ${from}..${to - 1}`).toEqual([]);
      }
    }, 330_000);
  });
}
