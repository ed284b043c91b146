import { count } from './format.js';
import type { TableProgress } from './queries.js';

/** One table of a snapshot: a bar of rowsCopied / rowsEstimated (full when DONE). */
export function ProgressBar({ progress }: { progress: TableProgress }) {
  const { table, status, rowsCopied, rowsEstimated } = progress;
  const fraction =
    status === 'DONE' ? 1 : rowsEstimated ? Math.min(1, rowsCopied / Math.max(rowsEstimated, 1)) : 0;
  const percent = Math.round(fraction * 100);
  return (
    <div class="progress" data-table={table} data-status={status}>
      <div class="progress-label">
        <span>{table}</span>
        <span class="muted">
          {status} · {count(rowsCopied)}
          {rowsEstimated != null && status !== 'DONE' ? ` / ~${count(rowsEstimated)}` : ''} rows · {percent}%
        </span>
      </div>
      <div
        class="bar"
        role="progressbar"
        aria-label={table}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class={`fill ${status.toLowerCase()}`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
