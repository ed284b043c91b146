import { describe, expect, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One source for the crash scenario: a database holding `accounts` (primary key `id`, many rows)
 * and `ledger` (no key), and a `churn` that commits a mix of inserts, updates, key changes and
 * deletes in transactions of 40 changes.
 */
export interface CrashSource {
  /** Creates and fills the tables; returns the connector's source settings and tables. */
  prepare(): Promise<{ readonly connector: Record<string, unknown> }>;
  /** Commits `n` changes; resolves when all are committed. */
  churn(n: number, seed: number): Promise<unknown>;
  /** Every row of `table` as comparable text lines, sorted (source side). */
  sourceRows(table: 'accounts' | 'ledger'): Promise<string[]>;
  /** The same lines read from the destination database `targetUrl`. */
  targetRows(targetUrl: string, table: 'accounts' | 'ledger'): Promise<string[]>;
  /** The destination PostgreSQL database (URL) the server runs on. */
  readonly targetUrl: string;
  [Symbol.asyncDispose](): Promise<void>;
}

interface View {
  state: { stage: string; state: string; error: string | null; offset: string | null };
  stats: { snapshotTables: number; snapshotRows: number; dmls: number };
}

/** Differences between two sorted line lists, at most 20 described. */
export function diffLines(expected: readonly string[], actual: readonly string[]): string[] {
  const want = new Map<string, number>();
  for (const line of expected) want.set(line, (want.get(line) ?? 0) + 1);
  const problems: string[] = [];
  for (const line of actual) {
    const left = want.get(line) ?? 0;
    if (left === 0) problems.push(`extra or changed: ${line}`);
    else want.set(line, left - 1);
  }
  for (const [line, left] of want) if (left > 0) problems.push(`missing: ${line} (${left}×)`);
  return problems.slice(0, 20);
}

/**
 * Nothing lost, nothing doubled: the real server process is killed with SIGKILL in the middle of
 * the snapshot and again in the middle of heavy CDC while the source keeps changing; after the
 * restarts the destination equals the source row by row.
 */
export function describeCrashRecovery(title: string, open: () => Promise<CrashSource>): void {
  describe(`crash recovery with ${title}`, () => {
    it('ends identical to the source after SIGKILL mid-snapshot and mid-stream', async () => {
      await using source = await open();
      const key = generateKey();
      let server: ServerProcess | undefined;
      const started = Date.now();
      const step = (what: string) =>
        console.log(`[${title} crash +${((Date.now() - started) / 1000).toFixed(1)}s] ${what}`);
      const start = async () => {
        server = await startServerProcess({
          TRIBUTARY_DATABASE_URL: source.targetUrl,
          TRIBUTARY_SECRET_KEY: key,
        });
      };
      const kill = async () => {
        await server?.stop('SIGKILL');
        server = undefined;
      };
      const view = async (): Promise<View | undefined> => {
        if (!server) return undefined;
        const result = await gql<{ connector: View }>(
          server.url,
          '{ connector(name: "crash") { state { stage state error offset } stats { snapshotTables snapshotRows dmls } } }',
        ).catch(() => undefined);
        return result?.data?.connector;
      };
      try {
        const { connector } = await source.prepare();
        await start();
        const added = await gql(
          server?.url ?? '',
          'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
          {
            i: { name: 'crash', ...connector },
          },
        );
        expect(added.errors).toBeUndefined();

        const firstChurn = source.churn(6_000, 1);
        await gql(server?.url ?? '', 'mutation { startConnector(name: "crash") { name } }');
        const duringCopy = await waitFor(
          'rows being copied',
          async () => {
            const current = await view();
            if (current?.state.error) throw new Error(`connector failed: ${current.state.error}`);
            return current?.state.stage === 'INITIAL_SNAPSHOT' && current.stats.snapshotRows > 20_000
              ? current
              : undefined;
          },
          60_000,
          10,
        );
        await kill();
        step(`killed during the snapshot at ${duringCopy.stats.snapshotRows} rows`);
        expect(duringCopy.stats.snapshotTables).toBeLessThan(2);

        await start();
        await waitFor(
          'CDC after the restart',
          async () => ((await view())?.state.stage === 'CHANGE_DATA_CAPTURE' ? true : undefined),
          90_000,
        );
        step('streaming after the restart');
        await firstChurn;
        step('first churn committed');

        const secondChurn = source.churn(30_000, 2);
        const before = (await view())?.stats.dmls ?? 0;
        await waitFor(
          'changes streaming',
          async () => (((await view())?.stats.dmls ?? 0) > before + 2_000 ? true : undefined),
          60_000,
          10,
        );
        await kill();
        step(`killed while streaming at ${before} + changes`);
        await start();
        await secondChurn;
        step('second churn committed');

        for (const table of ['accounts', 'ledger'] as const) {
          const expected = await source.sourceRows(table);
          await waitFor(
            `${table} to converge`,
            async () =>
              diffLines(expected, await source.targetRows(source.targetUrl, table)).length === 0
                ? true
                : undefined,
            90_000,
            500,
          ).catch(() => undefined);
          expect(diffLines(expected, await source.targetRows(source.targetUrl, table))).toEqual([]);
        }
        const final = await view();
        expect(final?.state).toMatchObject({ stage: 'CHANGE_DATA_CAPTURE', state: 'POLLING', error: null });
      } finally {
        if (server) {
          await gql(server.url, 'mutation { deleteConnector(name: "crash", force: true) }').catch(
            () => undefined,
          );
          await server.stop('SIGTERM');
        }
      }
    }, 300_000);
  });
}
