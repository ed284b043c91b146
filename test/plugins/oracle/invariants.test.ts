import { describe, expect, it } from 'vitest';
import {
  HistoryLostError,
  type Row,
  type SourceEvent,
  type SourceTable,
} from '../../../core/plugin/index.js';
import { parseOffset } from '../../../plugins/oracle/offset.js';
import { applyByKey } from '../../contract/replica-model.js';
import { seededRandom } from '../../support/fuzz-operations.js';
import { LogMinerModel } from '../../support/logminer-model/logminer-model.js';
import { RandomWorkload } from '../../support/logminer-model/random-workload.js';
import { connectModel } from './oracle-model.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

interface Replica {
  readonly rows: Map<unknown, Row>;
  /** XID → how many times a transaction of it was applied. */
  readonly applied: Map<string, number>;
  /** The last checkpoint applied: where a restarted job resumes. */
  committed: string;
}

/**
 * Streams from `replica.committed` into the replica until a checkpoint at or past `untilScn`,
 * applying each transaction at its checkpoint, as the engine commits rows and offset together. With
 * `crashChance`, the job is dropped after a random event without a clean stop (the events since
 * the last checkpoint are lost) and resumed on a new connection from the committed offset.
 */
async function replicate(
  model: LogMinerModel,
  tables: readonly SourceTable[],
  replica: Replica,
  untilScn: bigint,
  random: ReturnType<typeof seededRandom>,
  crashChance = 0,
): Promise<number> {
  let restarts = 0;
  for (;;) {
    await using connection = await connectModel(model);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    let pending: SourceEvent[] = [];
    let crashed = false;
    try {
      for await (const event of connection.readChanges(replica.committed, {
        tables,
        signal: controller.signal,
      })) {
        if (random.chance(crashChance)) {
          crashed = true;
          break;
        }
        if (event.kind !== 'checkpoint') {
          pending.push(event);
          continue;
        }
        for (const change of pending) {
          applyByKey(replica.rows, change);
          if (change.kind === 'change') {
            const xid = parseOffset(change.commitOffset).xid ?? '';
            if (change === pending.find((e) => e.kind === 'change' && e.commitOffset === change.commitOffset))
              replica.applied.set(xid, (replica.applied.get(xid) ?? 0) + 1);
          }
        }
        pending = [];
        replica.committed = event.offset;
        if (BigInt(parseOffset(event.offset).scn) >= untilScn) return restarts;
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    if (!crashed) throw new Error(`the stream ended before SCN ${untilScn}`);
    restarts++;
  }
}

async function readSnapshot(model: LogMinerModel, tables: readonly SourceTable[], replica: Replica) {
  await using connection = await connectModel(model);
  await using capture = await connection.startCapture(tables);
  for await (const batch of capture.readTable(tables[0] as SourceTable, {
    batchSize: 7,
    signal: new AbortController().signal,
  }))
    for (const row of batch) replica.rows.set(row.id, row);
  replica.committed = capture.startOffset;
  return BigInt(parseOffset(capture.startOffset).scn);
}

async function workloadWithSnapshot(seed: number) {
  const random = seededRandom(seed);
  const model = new LogMinerModel('DBZUSER');
  const workload = new RandomWorkload(model, random);
  workload.create();
  for (let step = 0, before = 20 + random.int(60); step < before; step++) workload.step();
  if (workload.openTransactions === 0) workload.begin();
  const tables = await (await connectModel(model)).discover(['DBZUSER.ITEMS']);
  const replica: Replica = { rows: new Map(), applied: new Map(), committed: '' };
  const snapshotScn = await readSnapshot(model, tables, replica);
  const { resumeScn } = parseOffset(replica.committed);
  expect(BigInt(resumeScn ?? '')).toBeLessThan(snapshotScn);
  for (let step = 0, after = 40 + random.int(120); step < after; step++) workload.step();
  workload.finish();
  return { random, model, workload, tables, replica, snapshotScn };
}

/** Every committed transaction after the snapshot applied exactly once, and nothing else. */
function expectExactlyOnce(workload: RandomWorkload, replica: Replica, snapshotScn: bigint) {
  const expected = workload.committed.filter((work) => work.scn > snapshotScn).map((work) => work.xid);
  expect([...replica.applied.keys()].sort()).toEqual([...expected].sort());
  expect([...replica.applied.values()].every((count) => count === 1)).toBe(true);
}

describe('Oracle invariants on the LogMiner model (seeded random workloads)', () => {
  it.each(SEEDS)(
    'seed %i: a snapshot taken with transactions open, then the stream, equals the source row by row',
    async (seed) => {
      const { random, model, workload, tables, replica, snapshotScn } = await workloadWithSnapshot(seed);
      await replicate(model, tables, replica, model.scn, random);
      expect(replica.rows).toEqual(workload.rows());
      expectExactlyOnce(workload, replica, snapshotScn);
    },
  );

  it.each(SEEDS)(
    'seed %i: a job dropped after random events and resumed from its committed offset converges, nothing doubled',
    async (seed) => {
      const { random, model, workload, tables, replica, snapshotScn } = await workloadWithSnapshot(seed);
      const restarts = await replicate(model, tables, replica, model.scn, random, 0.1);
      expect(restarts).toBeGreaterThan(0);
      expect(replica.rows).toEqual(workload.rows());
      expectExactlyOnce(workload, replica, snapshotScn);
    },
  );

  it.each(SEEDS)(
    'seed %i: archived logs deleted under a position give HistoryLostError exactly when a needed log is gone',
    async (seed) => {
      const random = seededRandom(seed * 101);
      const model = new LogMinerModel('DBZUSER');
      const workload = new RandomWorkload(model, random);
      workload.create();
      for (let step = 0; step < 30; step++) workload.step();
      const tables = await (await connectModel(model)).discover(['DBZUSER.ITEMS']);
      const replica: Replica = { rows: new Map(), applied: new Map(), committed: '' };
      await readSnapshot(model, tables, replica);
      for (let step = 0; step < 120; step++) workload.step();
      model.switchLog();
      workload.finish();
      const resume = BigInt(parseOffset(replica.committed).resumeScn ?? '0');
      const archived = model.logs.filter((log) => log.archived);
      const victim = random.pick(archived);
      if (random.chance(0.5)) model.deleteArchivedThrough(victim.sequence);
      else victim.deleted = true;
      const needed = model.logs.some((log) => log.deleted && log.nextScn !== null && log.nextScn > resume);
      const outcome = await replicate(model, tables, replica, model.scn, random).then(
        () => 'caught up',
        (error: unknown) => error,
      );
      if (needed) expect(outcome).toBeInstanceOf(HistoryLostError);
      else expect(outcome).toBe('caught up');
    },
  );
});
