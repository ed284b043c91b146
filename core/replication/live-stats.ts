import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'tsyringe';
import { ConnectorService } from '../connectors/connector-service.js';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import { type ConnectorOverview, readConnectorOverview } from './connector-overview.js';
import type { ConnectorStats } from './connector-state.js';
import { ProgressStore } from './progress-store.js';
import { ReplicationEngine } from './replication-engine.js';
import {
  estimatedTotal,
  type SnapshotProgress,
  type SnapshotProgressView,
  type TableCopyProgress,
} from './snapshot-progress.js';
import { StateStore } from './state-store.js';
import { StatsStore } from './stats-store.js';

/** How long a reader waits for a copied table's COMMIT to settle, and how many times. */
const SETTLE_WAIT_MS = 10;
const SETTLE_ATTEMPTS = 100;

/**
 * The one source of live statistics and snapshot progress, for every reader (queries,
 * subscriptions, metrics): the persisted counters plus what running jobs have copied but not
 * committed yet. `snapshotRows` counts the rows of the table being copied as they are written, and
 * never counts a table twice or drops it while its transaction commits, so successive reads never
 * go down (short of `resetStats`).
 */
@injectable()
export class LiveStats {
  constructor(
    @inject(ReplicationEngine) private readonly engine: ReplicationEngine,
    @inject(StatsStore) private readonly stats: StatsStore,
    @inject(ProgressStore) private readonly progress: ProgressStore,
    @inject(ConnectorService) private readonly connectors: ConnectorService,
    @inject(StateStore) private readonly state: StateStore,
    @inject(TARGET_DATABASE) private readonly db: TargetDatabase,
  ) {}

  /** The connector's statistics now; null when there is no such connector. */
  connectorStats(name: string): Promise<ConnectorStats | null> {
    return this.settled(
      () => this.stats.stats(name),
      (stats, inFlight) => stats && withInFlight(stats, inFlight(name)),
    );
  }

  /** Every connector with its state and live statistics as of one moment (see readConnectorOverview). */
  overview(): Promise<ConnectorOverview[]> {
    const stores = { connectors: this.connectors, state: this.state, stats: this.stats };
    return this.settled(
      () => readConnectorOverview(this.db, stores),
      (list, inFlight) =>
        list.map((c) => ({ ...c, seen: { ...c.seen, stats: withInFlight(c.seen.stats, inFlight(c.name)) } })),
    );
  }

  /**
   * The connector's snapshot progress: the tables its running job copies (with estimates, the
   * table being copied, rate and ETA), after the tables copied earlier as recorded in the metadata
   * (without estimates). When no job runs, only the recorded tables, not running.
   */
  async snapshotProgress(name: string): Promise<SnapshotProgressView> {
    const live = this.engine.snapshotProgress(name)?.view() ?? null;
    const planned = new Set(live?.tables.map((table) => table.table));
    const recorded = [...(await this.progress.tables(name)).values()]
      .filter((table) => !planned.has(table.sourceTable))
      .sort((a, b) => (a.sourceTable < b.sourceTable ? -1 : a.sourceTable > b.sourceTable ? 1 : 0))
      .map(
        (table): TableCopyProgress => ({
          table: table.sourceTable,
          status: table.status,
          rowsCopied: table.rowsCopied,
          rowsEstimated: null,
        }),
      );
    const tables = [...recorded, ...(live?.tables ?? [])];
    return {
      running: live?.running ?? false,
      table: live?.table ?? null,
      rowsCopied: tables.reduce((sum, table) => sum + table.rowsCopied, 0),
      rowsEstimated: estimatedTotal(tables),
      rowsPerSecond: live?.rowsPerSecond ?? null,
      etaSeconds: live?.etaSeconds ?? null,
      tables,
    };
  }

  /**
   * Runs `read` (of persisted counters) at a moment no copied table commits, and combines it with
   * the in-flight rows seen just before: a read that overlapped a commit is repeated. After
   * SETTLE_ATTEMPTS (a commit that takes long) the last read is used as it is.
   */
  private async settled<T, R>(
    read: () => Promise<T>,
    combine: (value: T, inFlight: (name: string) => number) => R,
  ): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= SETTLE_ATTEMPTS;
      const before = this.engine.snapshots();
      if (!last && [...before.values()].some((progress) => progress.isCommitting)) {
        await sleep(SETTLE_WAIT_MS);
        continue;
      }
      const seen = signature(before);
      const inFlight = new Map([...before].map(([name, progress]) => [name, progress.inFlightRows]));
      const value = await read();
      if (last || signature(this.engine.snapshots()) === seen) {
        return combine(value, (name) => inFlight.get(name) ?? 0);
      }
    }
  }
}

function withInFlight(stats: ConnectorStats, rows: number): ConnectorStats {
  return rows === 0 ? stats : { ...stats, snapshotRows: stats.snapshotRows + rows };
}

function signature(snapshots: ReadonlyMap<string, SnapshotProgress>): string {
  return JSON.stringify([...snapshots].map(([name, progress]) => [name, progress.version]));
}
