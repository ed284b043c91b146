const numbers = new Intl.NumberFormat('en');

export const count = (n: number | null | undefined): string =>
  n == null ? '–' : numbers.format(Math.round(n));

export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export const lag = (ms: number | null | undefined): string => (ms == null ? '–' : duration(ms / 1000));

export const time = (iso: string): string => new Date(iso).toLocaleTimeString();

/** A CSS class per run state: running, paused, stopped or failing. */
export function stateClass(state: string, error: string | null): string {
  if (error) return 'bad';
  if (state === 'PAUSED') return 'paused';
  if (state === 'STOPPED') return 'stopped';
  return 'running';
}
