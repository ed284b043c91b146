import { describe, expect, it } from 'vitest';
import { HistoryLostError, type SourceConnection, type SourceTable } from '../../../core/plugin/index.js';
import { formatLsn } from '../../../plugins/sqlserver/offset.js';
import { CdcModel, type ModelTable } from '../../support/mssql-model/cdc-model.js';
import {
  applyStrictly,
  openModelSource,
  type Replica,
  random,
  randomTransaction,
  snapshotReplica,
  sourceRows,
  workloadTables,
} from './model-workload.js';

const copy = (replica: Replica): Replica =>
  new Map([...replica].map(([name, rows]) => [name, new Map(rows)]));

/**
 * An engine stand-in: changes go to a working copy of the replica, which becomes the committed
 * replica (with the checkpoint's offset) at each checkpoint. A kill throws the working copy away.
 */
class Follower {
  committedOffset: string;
  committed: Replica;
  private working: Replica;

  constructor(replica: Replica, offset: string) {
    this.committed = replica;
    this.working = copy(replica);
    this.committedOffset = offset;
  }

  /**
   * Reads from the committed offset; `onEvent` runs after each event (a workload step) and may
   * return 'kill' to drop the reading mid-stream as a SIGKILL would, or 'done' to stop cleanly.
   */
  async follow(
    connection: SourceConnection,
    tables: SourceTable[],
    onEvent: () => 'go' | 'kill' | 'done',
  ): Promise<'kill' | 'done'> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('no progress for 10 s')), 10_000);
    let previous = this.committedOffset;
    try {
      for await (const event of connection.readChanges(this.committedOffset, {
        tables,
        signal: controller.signal,
      })) {
        if (event.kind === 'checkpoint') {
          expect(event.offset > previous).toBe(true);
          previous = event.offset;
          this.committed = copy(this.working);
          this.committedOffset = event.offset;
        } else {
          expect(event.commitOffset > this.committedOffset).toBe(true);
          applyStrictly(this.working, event);
        }
        const step = onEvent();
        if (step === 'kill') {
          this.working = copy(this.committed);
          return 'kill';
        }
        if (step === 'done' && event.kind === 'checkpoint') return 'done';
      }
      throw controller.signal.reason ?? new Error('the stream ended');
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }
}

function expectEqual(model: CdcModel, tables: ModelTable[], replica: Replica): void {
  for (const table of tables) expect(replica.get(table.name) ?? new Map()).toEqual(sourceRows(model, table));
}

/** The statements of the snapshot hand-off ("lock, pin, read log end, release"). */
const HANDOFF_STEPS = new Set(['lock-tables', 'begin-snapshot', 'pin-snapshot', 'log-end-lsn', 'commit']);

const SEEDS = Array.from({ length: 16 }, (_, i) => 101 + i * 7);

describe('sqlserver invariants over the CDC model (seeded random runs)', () => {
  it.each(SEEDS)(
    'random workload × harvest lag × writes during the hand-off × snapshot point × kills after random events: the replica equals the source, nothing doubled (seed %i)',
    async (seed) => {
      const next = random(seed);
      const model = new CdcModel();
      const modelTables = workloadTables(model);
      const ids = { n: 0 };
      let budget = 20 + next(20);
      // a workload step: maybe a transaction, and a new harvest lag (none once the budget is spent)
      const work = () => {
        if (budget <= 0) return;
        budget -= 1;
        model.harvestLag = budget === 0 ? 0 : next(4);
        // the last step always commits, so that its checkpoint reaches the follower
        if (budget === 0 || next(2) === 0) randomTransaction(model, modelTables, next, ids);
      };
      for (let i = next(12); i > 0; i--) randomTransaction(model, modelTables, next, ids);
      model.harvestLag = next(4);
      // writers act at each poll and at every step of the snapshot hand-off (their writes wait
      // while the hand-off holds its table locks)
      await using source = await openModelSource(model, (tag) => {
        if (tag === 'max-lsn') work();
        else if (HANDOFF_STEPS.has(tag) && next(2) === 0) randomTransaction(model, modelTables, next, ids);
      });
      const tables = await source.connection.discover(['dbo.a', 'dbo.b']);
      const { replica, startOffset } = await snapshotReplica(source.connection, tables, work);
      const follower = new Follower(replica, startOffset);

      let kills = 0;
      let connection = source.connection;
      const caughtUp = () => budget <= 0 && follower.committedOffset >= formatLsn(model.lsn(model.logEnd));
      while (!caughtUp()) {
        let killAt = next(25);
        const outcome = await follower.follow(connection, tables, () =>
          killAt-- === 0 ? 'kill' : caughtUp() ? 'done' : 'go',
        );
        if (outcome === 'done') break;
        kills += 1;
        // SIGKILL-equivalent: the old connection is abandoned, not closed; a new one resumes.
        connection = await source.reconnect();
        expect(kills).toBeLessThan(200);
      }
      expectEqual(model, modelTables, follower.committed);
    },
  );

  it.each(SEEDS.slice(0, 8))(
    'a restart after cleanup throws HistoryLostError when cleanup passed the committed offset, and resumes exactly otherwise (seed %i)',
    async (seed) => {
      const next = random(seed);
      const model = new CdcModel();
      const modelTables = workloadTables(model);
      const ids = { n: 0 };
      for (let i = 1 + next(8); i > 0; i--) randomTransaction(model, modelTables, next, ids);
      let steps = 5 + next(10);
      const work = () => {
        if (steps-- > 0) randomTransaction(model, modelTables, next, ids);
      };
      await using source = await openModelSource(model, (tag) => tag === 'max-lsn' && work());
      const tables = await source.connection.discover(['dbo.a', 'dbo.b']);
      const { replica, startOffset } = await snapshotReplica(source.connection, tables);
      const follower = new Follower(replica, startOffset);
      let killAt = next(20);
      await follower.follow(source.connection, tables, () => (killAt-- === 0 || steps <= 0 ? 'kill' : 'go'));
      steps = 0; // the workload stops: what follows is the whole history after the kill
      for (let i = 1 + next(6); i > 0; i--) randomTransaction(model, modelTables, next, ids);
      const committed = model.counterOf(Buffer.from(follower.committedOffset, 'hex'));
      // cleanup through a random LSN: at or past the committed offset, or short of it
      const cleanedTo =
        next(2) === 0 ? committed + next(model.logEnd - committed + 1) : committed - 1 - next(3);
      model.cleanup(cleanedTo);
      const end = formatLsn(model.lsn(model.logEnd));

      const resumed = follower.follow(await source.reconnect(), tables, () =>
        follower.committedOffset >= end ? 'done' : 'go',
      );

      if (cleanedTo >= committed) {
        await expect(resumed).rejects.toBeInstanceOf(HistoryLostError);
      } else {
        await expect(resumed).resolves.toBe('done');
        expectEqual(model, modelTables, follower.committed);
      }
    },
  );
});
