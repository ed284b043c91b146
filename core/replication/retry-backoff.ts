/**
 * Exponential back-off with jitter between attempts of a failed job (RETRY strategy, or any
 * connectivity failure): 1 s, 2 s, 4 s ... at most 60 s; `attempt` counts failures since the job
 * last reached streaming.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
  return Math.round(base * (0.8 + 0.4 * random()));
}
