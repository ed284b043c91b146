/** Formatting shared by `connectors show` and `watch`: counts, durations, percentages. */

/** 1234567 → "1,234,567". */
export const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Seconds as "42s", "3m05s" or "2h07m". */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** The fraction copied as a whole percentage ("37%"), capped at 99% until done; "?" without an estimate. */
export function percent(copied: number, estimated: number | null): string {
  const fraction = ratio(copied, estimated);
  return fraction === null ? '?' : `${Math.floor(fraction * 100)}%`;
}

/** copied / estimated in [0, 0.99]; null without a usable estimate (a table may outgrow its estimate). */
export function ratio(copied: number, estimated: number | null): number | null {
  if (estimated === null || estimated <= 0) return null;
  return Math.min(copied / estimated, 0.99);
}

/** A bar of `width` cells, filled in proportion to `fraction`. */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(fraction * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
