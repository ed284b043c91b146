export const TABLE_COPY_STATUSES = ['pending', 'copying', 'done'] as const;
/** Where one table of a snapshot is: waiting, being copied, or copied and committed. */
export type TableCopyStatus = (typeof TABLE_COPY_STATUSES)[number];

/** One table of a snapshot as progress shows it. */
export interface TableCopyProgress {
  /** The source table, fully qualified as the connector names it. */
  readonly table: string;
  readonly status: TableCopyStatus;
  /** Committed rows when done; rows written so far (not yet committed) while copying; 0 pending. */
  readonly rowsCopied: number;
  /** The source's estimate of its row count; null when unknown. */
  readonly rowsEstimated: number | null;
}

/** A snapshot's progress at one moment. */
export interface SnapshotProgressView {
  /** True while tables are being copied. */
  readonly running: boolean;
  /** The table being copied; null when none is. */
  readonly table: string | null;
  readonly rowsCopied: number;
  /** Done tables' rows plus the others' estimates (at least what they copied); null when one is unknown. */
  readonly rowsEstimated: number | null;
  /** Rows per second over the last few seconds; null when not running or too early to tell. */
  readonly rowsPerSecond: number | null;
  /** Seconds until every table is copied at the current rate; null when not running or unknown. */
  readonly etaSeconds: number | null;
  readonly tables: readonly TableCopyProgress[];
}

/** A table a snapshot will copy, with the source's estimate of its size. */
export interface PlannedTable {
  readonly table: string;
  readonly rowsEstimated: number | null;
}

interface Sample {
  readonly at: number;
  readonly rows: number;
}

interface Entry {
  status: TableCopyStatus;
  rowsCopied: number;
  readonly rowsEstimated: number | null;
}

const RATE_WINDOW_MS = 10_000;
const MIN_RATE_SPAN_MS = 1_000;
const SAMPLE_EVERY_MS = 250;

/**
 * The live progress of one job's snapshot, in memory: which tables it copies, the table being
 * copied and its rows written so far (uncommitted, so not yet in the persisted stats), a rate and
 * an ETA. The snapshot phase reports into it (`begin`, `copying`, `copied`, `committing`, `done`,
 * `settle`); readers take `view()` and, to add the in-flight rows to the persisted counters
 * without counting a table twice or not at all, read those counters while `isCommitting` is false
 * and `version` does not change (see LiveStats).
 */
export class SnapshotProgress {
  private readonly entries = new Map<string, Entry>();
  private current: string | null = null;
  private running = false;
  private committingNow = false;
  private changes = 0;
  private samples: Sample[] = [];
  private copiedBefore = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Bumped when a table's commit starts and when it is settled; see the class comment. */
  get version(): number {
    return this.changes;
  }

  /** True from just before a copied table's COMMIT until `done` or `settle`. */
  get isCommitting(): boolean {
    return this.committingNow;
  }

  /** Rows of the table being copied that are not committed yet. */
  get inFlightRows(): number {
    return this.current === null ? 0 : (this.entries.get(this.current)?.rowsCopied ?? 0);
  }

  /** A new snapshot run copies `tables`, in this order. */
  begin(tables: readonly PlannedTable[]): void {
    this.entries.clear();
    for (const { table, rowsEstimated } of tables) {
      this.entries.set(table, { status: 'pending', rowsCopied: 0, rowsEstimated });
    }
    this.current = null;
    this.running = tables.length > 0;
    this.committingNow = false;
    this.copiedBefore = 0;
    this.samples = [{ at: this.now(), rows: 0 }];
    this.changes++;
  }

  copying(table: string): void {
    const entry = this.entries.get(table);
    if (entry) Object.assign(entry, { status: 'copying', rowsCopied: 0 });
    this.current = table;
  }

  /** Rows written so far into the table being copied. */
  copied(rows: number): void {
    const entry = this.current === null ? undefined : this.entries.get(this.current);
    if (!entry) return;
    entry.rowsCopied = rows;
    this.sample();
  }

  /** The copied table's transaction is about to commit. */
  committing(): void {
    this.committingNow = true;
    this.changes++;
  }

  /** The copied table committed with `rows` rows. */
  done(rows: number): void {
    const entry = this.current === null ? undefined : this.entries.get(this.current);
    if (entry) Object.assign(entry, { status: 'done', rowsCopied: rows });
    this.copiedBefore += rows;
    this.current = null;
    this.committingNow = false;
    this.changes++;
    this.sample(true);
  }

  /** The run ended (finished, failed or stopped): a table caught mid-copy was rolled back. */
  settle(): void {
    const entry = this.current === null ? undefined : this.entries.get(this.current);
    if (entry) Object.assign(entry, { status: 'pending', rowsCopied: 0 });
    this.current = null;
    this.running = false;
    this.committingNow = false;
    this.changes++;
  }

  /** Null before a snapshot began in this job. */
  view(): SnapshotProgressView | null {
    if (this.samples.length === 0) return null;
    const tables = [...this.entries].map(([table, entry]) => ({ table, ...entry }));
    const rowsPerSecond = this.running ? this.rate() : null;
    const remaining = tables.reduce<number | null>((sum, table) => {
      if (sum === null || table.status === 'done') return sum;
      return table.rowsEstimated === null ? null : sum + Math.max(table.rowsEstimated - table.rowsCopied, 0);
    }, 0);
    return {
      running: this.running,
      table: this.current,
      rowsCopied: tables.reduce((sum, table) => sum + table.rowsCopied, 0),
      rowsEstimated: estimatedTotal(tables),
      rowsPerSecond,
      etaSeconds: etaSeconds(remaining, rowsPerSecond),
      tables,
    };
  }

  private sample(force = false): void {
    const at = this.now();
    const last = this.samples[this.samples.length - 1];
    if (!force && last && at - last.at < SAMPLE_EVERY_MS) return;
    this.samples.push({ at, rows: this.copiedBefore + this.inFlightRows });
    while (this.samples.length > 1 && (this.samples[1]?.at ?? at) <= at - RATE_WINDOW_MS)
      this.samples.shift();
  }

  /** Rows per second from the oldest sample in the window to now. */
  private rate(): number | null {
    const base = this.samples[0];
    const span = base === undefined ? 0 : this.now() - base.at;
    if (base === undefined || span < MIN_RATE_SPAN_MS) return null;
    return ((this.copiedBefore + this.inFlightRows - base.rows) * 1000) / span;
  }
}

/** Every table's size: done tables as copied, the others as estimated (at least what they copied). */
export function estimatedTotal(tables: readonly TableCopyProgress[]): number | null {
  let total = 0;
  for (const table of tables) {
    if (table.status === 'done') total += table.rowsCopied;
    else if (table.rowsEstimated === null) return null;
    else total += Math.max(table.rowsEstimated, table.rowsCopied);
  }
  return total;
}

function etaSeconds(remaining: number | null, rowsPerSecond: number | null): number | null {
  if (remaining === null || rowsPerSecond === null) return null;
  if (remaining === 0) return 0;
  return rowsPerSecond > 0 ? remaining / rowsPerSecond : null;
}
