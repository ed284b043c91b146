import { randomInt } from 'node:crypto';

/**
 * When a kill lands:
 * - `copy`: mid-table during the initial snapshot, after a random share of the rows;
 * - `switch`: right after the snapshot's last table commits and the stage turns to CDC;
 * - `stream`: at a random moment of heavy change data capture (often mid-batch);
 * - `commit`: the instant the committed offset advances at the target, before the source ack.
 */
export type KillPhase = 'copy' | 'switch' | 'stream' | 'commit';

export interface KillStep {
  readonly phase: KillPhase;
  /** `copy`: rows into the table being copied; `switch` / `stream`: milliseconds to wait first. */
  readonly after: number;
  /** `commit`: which advance of the offset (1 = the first seen) to kill at. */
  readonly nth: number;
}

/** The seed of this run: `CRASH_SEED` replays a printed one. */
export function crashSeed(): number {
  const given = process.env.CRASH_SEED;
  return given ? Number(given) : randomInt(1, 2 ** 31 - 1);
}

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same schedule. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Eleven kills: three during the copy, one at the switch to CDC, then four at random moments of
 * CDC and three right after a target commit, in a seeded order.
 */
export function killSchedule(seed: number, tableRows: number): KillStep[] {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));
  const copy = [0, 1, 2].map(() => ({
    phase: 'copy' as const,
    after: Math.round(tableRows * (0.05 + random() * 0.45)),
    nth: 0,
  }));
  const later: KillStep[] = [
    ...[0, 1, 2, 3].map(() => ({ phase: 'stream' as const, after: between(100, 2_500), nth: 0 })),
    ...[0, 1, 2].map(() => ({ phase: 'commit' as const, after: 0, nth: between(1, 4) })),
  ];
  for (let i = later.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [later[i], later[j]] = [later[j] as KillStep, later[i] as KillStep];
  }
  return [...copy, { phase: 'switch', after: between(0, 150), nth: 0 }, ...later];
}

/** One line per step, for the log and failure messages. */
export function describeSchedule(steps: readonly KillStep[]): string {
  return steps
    .map((step) =>
      step.phase === 'copy'
        ? `copy@${step.after}rows`
        : step.phase === 'commit'
          ? `commit#${step.nth}`
          : `${step.phase}+${step.after}ms`,
    )
    .join(', ');
}
