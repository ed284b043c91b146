import { stripVTControlCharacters as stripAnsi } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ConnectorStats } from '../../cli/connector-show-command.js';
import type { WatchedConnector } from '../../cli/watch-model.js';
import { renderFrame } from '../../cli/watch-render.js';

function copying(): WatchedConnector {
  const stats = {
    totalEvents: 0,
    badEvents: 0,
    lagMs: null,
    snapshotProgress: {
      running: true,
      table: 'public.big',
      rowsCopied: 120_000,
      rowsEstimated: 300_000,
      rowsPerSecond: 40_000,
      etaSeconds: 4.5,
      tables: [
        { table: 'public.big', status: 'COPYING', rowsCopied: 120_000, rowsEstimated: 300_000 },
        { table: 'public.small', status: 'PENDING', rowsCopied: 0, rowsEstimated: 10 },
      ],
    },
  } as unknown as ConnectorStats;
  return {
    name: 'pg',
    type: 'postgres',
    active: true,
    state: { stage: 'INITIAL_SNAPSHOT', state: 'POLLING', error: null, warning: null },
    stats,
    eventsPerSecond: null,
    statsAt: 0,
  };
}

describe('watch frame', () => {
  it('shows the table being copied with its bar, rows, rate and ETA, and the pending ones', () => {
    const frame = stripAnsi(renderFrame([copying()], new Date('2026-12-07T06:00:00Z')));
    expect(frame).toMatch(
      /public\.big\s+[█░]{24}\s+40%\s+120,000 \/ 300,000 rows {2}40,000 rows\/s {2}ETA 4\.5s/,
    );
    expect(frame).toMatch(/public\.small\s+[░]{24}\s+0%\s+pending/);
  });
});
