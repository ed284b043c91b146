import type { ConnectorRecord } from '../connectors/connector-record.js';
import type { Logger } from '../logger.js';
import type { SourceConnection } from '../plugin/source-connection.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import type { SourceTable } from '../plugin/source-table.js';
import type { TargetDatabase } from '../target/target-database.js';
import type { TargetTable } from '../target/target-table.js';
import type { ConnectorEvents } from './connector-events.js';
import type { ProgressStore } from './progress-store.js';
import type { SnapshotProgress } from './snapshot-progress.js';
import type { StateStore } from './state-store.js';
import type { StatsStore } from './stats-store.js';

/** Everything one run of a connector's job works with. */
export interface JobContext {
  readonly record: ConnectorRecord;
  readonly plugin: SourcePlugin;
  readonly connection: SourceConnection;
  readonly db: TargetDatabase;
  readonly state: StateStore;
  readonly progress: ProgressStore;
  readonly stats: StatsStore;
  readonly events: ConnectorEvents;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** The replicated tables by source name; schema changes update it. */
  readonly targets: Map<string, TargetTable>;
  /** Where a source table lands under the connector's current rules. */
  resolveTarget(table: SourceTable): TargetTable;
  /** Live snapshot progress: the snapshot phase reports tables, rows and commits into it. */
  readonly snapshot: SnapshotProgress;
  /** Rows copied so far in the table being copied (not yet committed); `snapshot.copied`. */
  reportCopied(rows: number): void;
}

export const ENGINE_LIMITS = {
  /** Rows per batch read from a source table during the snapshot. */
  snapshotBatchRows: 5_000,
  /** Changes buffered before they are written into the open target transaction. */
  flushRows: 5_000,
  /** A checkpoint commits once this many changes are applied, or... */
  commitRows: 20_000,
  /** ...once the oldest uncommitted change is this old, or the stream has been quiet this long. */
  commitLatencyMs: 500,
  lingerMs: 50,
  /** Commit a bare offset advance (heartbeat) at most this often. */
  idleCommitMs: 2_000,
  /** Applied changes kept for the `changes` subscription per commit. */
  feedPerCommit: 10_000,
  /** How often a streaming job asks the source for a health warning. */
  healthIntervalMs: 5_000,
} as const;
