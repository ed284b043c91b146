import { describe, expect, it } from 'vitest';
import { SnapshotProgress } from '../../../core/replication/snapshot-progress.js';

function tracker() {
  const clock = { now: 0 };
  const progress = new SnapshotProgress(() => clock.now);
  return { clock, progress };
}

describe('SnapshotProgress', () => {
  it('has no view before a snapshot begins', () => {
    expect(tracker().progress.view()).toBeNull();
  });

  it('lists the planned tables as pending with their estimates and the total', () => {
    const { progress } = tracker();
    progress.begin([
      { table: 'public.a', rowsEstimated: 100 },
      { table: 'public.b', rowsEstimated: 50 },
    ]);
    expect(progress.view()).toEqual({
      running: true,
      table: null,
      rowsCopied: 0,
      rowsEstimated: 150,
      rowsPerSecond: null,
      etaSeconds: null,
      tables: [
        { table: 'public.a', status: 'pending', rowsCopied: 0, rowsEstimated: 100 },
        { table: 'public.b', status: 'pending', rowsCopied: 0, rowsEstimated: 50 },
      ],
    });
  });

  it('shows the table being copied, a rate over the last seconds and the ETA from the estimates', () => {
    const { clock, progress } = tracker();
    progress.begin([
      { table: 'public.a', rowsEstimated: 1_000 },
      { table: 'public.b', rowsEstimated: 1_000 },
    ]);
    progress.copying('public.a');
    clock.now = 500;
    progress.copied(100);
    expect(progress.view()).toMatchObject({ table: 'public.a', rowsCopied: 100, rowsPerSecond: null });
    clock.now = 2_000;
    progress.copied(400);
    expect(progress.inFlightRows).toBe(400);
    expect(progress.view()).toMatchObject({
      table: 'public.a',
      rowsCopied: 400,
      rowsPerSecond: 200,
      etaSeconds: (600 + 1_000) / 200,
    });
  });

  it('counts a table copied past its estimate as at least its rows', () => {
    const { progress } = tracker();
    progress.begin([{ table: 'public.a', rowsEstimated: 10 }]);
    progress.copying('public.a');
    progress.copied(25);
    expect(progress.view()).toMatchObject({ rowsEstimated: 25 });
  });

  it('leaves the total and the ETA unknown while a table without an estimate is not done', () => {
    const { clock, progress } = tracker();
    progress.begin([
      { table: 'public.a', rowsEstimated: null },
      { table: 'public.b', rowsEstimated: 5 },
    ]);
    progress.copying('public.a');
    clock.now = 2_000;
    progress.copied(30);
    expect(progress.view()).toMatchObject({ rowsEstimated: null, etaSeconds: null });
    progress.committing();
    progress.done(30);
    expect(progress.view()).toMatchObject({ rowsEstimated: 35, table: null });
  });

  it('moves a committed table to done and its rows out of the in-flight count, bumping the version', () => {
    const { progress } = tracker();
    progress.begin([{ table: 'public.a', rowsEstimated: 3 }]);
    progress.copying('public.a');
    progress.copied(3);
    const before = progress.version;
    progress.committing();
    expect(progress.isCommitting).toBe(true);
    expect(progress.version).toBeGreaterThan(before);
    progress.done(3);
    expect(progress.isCommitting).toBe(false);
    expect(progress.inFlightRows).toBe(0);
    expect(progress.view()?.tables).toEqual([
      { table: 'public.a', status: 'done', rowsCopied: 3, rowsEstimated: 3 },
    ]);
  });

  it('puts a table caught mid-copy back to pending when the run ends, and stops the rate', () => {
    const { clock, progress } = tracker();
    progress.begin([{ table: 'public.a', rowsEstimated: 10 }]);
    progress.copying('public.a');
    clock.now = 2_000;
    progress.copied(4);
    progress.committing();
    progress.settle();
    expect(progress.isCommitting).toBe(false);
    expect(progress.inFlightRows).toBe(0);
    expect(progress.view()).toMatchObject({
      running: false,
      table: null,
      rowsCopied: 0,
      rowsPerSecond: null,
      etaSeconds: null,
      tables: [{ table: 'public.a', status: 'pending', rowsCopied: 0 }],
    });
  });
});
