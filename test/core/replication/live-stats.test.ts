import { describe, expect, it } from 'vitest';
import type { ConnectorStats } from '../../../core/replication/connector-state.js';
import { LiveStats } from '../../../core/replication/live-stats.js';
import { SnapshotProgress } from '../../../core/replication/snapshot-progress.js';

/** A LiveStats over one running job whose persisted snapshotRows come from `read`. */
function liveStats(progress: SnapshotProgress, read: () => Promise<number>) {
  const engine = {
    snapshots: () => new Map([['c', progress]]),
    snapshotProgress: () => progress,
  };
  const stats = { stats: async () => ({ snapshotRows: await read() }) as ConnectorStats };
  const unused = {};
  return new LiveStats(
    engine as never,
    stats as never,
    unused as never,
    unused as never,
    unused as never,
    unused as never,
  );
}

function copying(rows: number): SnapshotProgress {
  const progress = new SnapshotProgress();
  progress.begin([{ table: 'public.a', rowsEstimated: null }]);
  progress.copying('public.a');
  progress.copied(rows);
  return progress;
}

describe('LiveStats', () => {
  it('adds the rows of the table being copied to the persisted count', async () => {
    const progress = copying(40);
    expect((await liveStats(progress, async () => 7).connectorStats('c'))?.snapshotRows).toBe(47);
  });

  it('reads again when the table commits during the read, so its rows are not counted twice', async () => {
    const progress = copying(100);
    let committed = 0;
    const stats = liveStats(progress, async () => {
      if (committed === 0) {
        progress.committing();
        committed = 100;
        progress.done(100);
      }
      return committed;
    });
    expect((await stats.connectorStats('c'))?.snapshotRows).toBe(100);
  });

  it('waits while a table commits, so its rows are neither counted twice nor missed', async () => {
    const progress = copying(100);
    progress.committing();
    let committed = 0;
    setTimeout(() => {
      committed = 100;
      progress.done(100);
    }, 30);
    const stats = liveStats(progress, async () => (progress.isCommitting ? 100 : committed));
    expect((await stats.connectorStats('c'))?.snapshotRows).toBe(100);
  });
});
