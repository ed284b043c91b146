import type pg from 'pg';
import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import type { ConnectorStats } from './connector-state.js';

/** Counters added by one committed batch or copied table. */
export interface StatsDelta {
  ddls?: number;
  dmls?: number;
  creates?: number;
  updates?: number;
  deletes?: number;
  truncates?: number;
  transactions?: number;
  badEvents?: number;
  totalEvents?: number;
  batches?: number;
  snapshotTables?: number;
  snapshotRows?: number;
  /** Source commit time of the batch's first and last events. */
  firstSourceTs?: Date | null;
  lastSourceTs?: Date | null;
}

const COUNTERS: [keyof StatsDelta, string][] = [
  ['ddls', 'ddls'],
  ['dmls', 'dmls'],
  ['creates', 'creates'],
  ['updates', 'updates'],
  ['deletes', 'deletes'],
  ['truncates', 'truncates'],
  ['transactions', 'transactions'],
  ['badEvents', 'bad_events'],
  ['totalEvents', 'total_events'],
  ['snapshotTables', 'snapshot_tables'],
  ['snapshotRows', 'snapshot_rows'],
];

/** The persisted statistics of each connector (SynchDB's genstats, snapstats and cdcstats). */
@injectable()
export class StatsStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  async stats(connector: string): Promise<ConnectorStats | null> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      'SELECT * FROM tributary.stats WHERE connector = $1',
      [connector],
    );
    return rows[0] ? statsFromRow(rows[0]) : null;
  }

  /** Every connector's stats by name, read on `client` (e.g. inside a snapshot). */
  async all(client: pg.ClientBase): Promise<Map<string, ConnectorStats>> {
    const { rows } = await client.query<Record<string, unknown>>('SELECT * FROM tributary.stats');
    return new Map(rows.map((row) => [String(row.connector), statsFromRow(row)]));
  }

  /**
   * Adds a batch's counters inside the batch's transaction. Timestamps follow SynchDB: first and
   * last describe the most recent batch; lag is its last source commit to now.
   */
  async addIn(client: pg.ClientBase, connector: string, delta: StatsDelta): Promise<void> {
    const values: unknown[] = [connector];
    const set = COUNTERS.filter(([key]) => delta[key]).map(([key, column]) => {
      values.push(delta[key]);
      return `${column} = ${column} + $${values.length}`;
    });
    if (delta.batches) {
      values.push(delta.batches, delta.totalEvents ?? 0);
      set.push(
        `batches_done = batches_done + $${values.length - 1}`,
        `batched_events = batched_events + $${values.length}`,
      );
      values.push(delta.firstSourceTs ?? null, delta.lastSourceTs ?? null);
      const first = `$${values.length - 1}::timestamptz`;
      const last = `$${values.length}::timestamptz`;
      set.push(
        `first_source_ts = ${first}`,
        `last_source_ts = ${last}`,
        'first_applied_ts = now()',
        'last_applied_ts = clock_timestamp()',
        `lag_ms = CASE WHEN ${last} IS NULL THEN NULL ELSE 1000 * extract(epoch FROM clock_timestamp() - ${last}) END`,
      );
    }
    if (set.length === 0) return;
    await client.query(`UPDATE tributary.stats SET ${set.join(', ')} WHERE connector = $1`, values);
  }

  async markSnapshot(connector: string, edge: 'begin' | 'end'): Promise<void> {
    const sql =
      edge === 'begin'
        ? 'UPDATE tributary.stats SET snapshot_begin_ts = now(), snapshot_end_ts = NULL WHERE connector = $1'
        : 'UPDATE tributary.stats SET snapshot_end_ts = now() WHERE connector = $1';
    await this.db.query(sql, [connector]);
  }

  async reset(connector: string): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('DELETE FROM tributary.stats WHERE connector = $1', [connector]);
      await client.query('INSERT INTO tributary.stats (connector) VALUES ($1)', [connector]);
    });
  }
}

function statsFromRow(row: Record<string, unknown>): ConnectorStats {
  const count = (column: string) => Number(row[column] ?? 0);
  const time = (column: string) => (row[column] as Date | null) ?? null;
  const batches = count('batches_done');
  return {
    ddls: count('ddls'),
    dmls: count('dmls'),
    creates: count('creates'),
    updates: count('updates'),
    deletes: count('deletes'),
    truncates: count('truncates'),
    transactions: count('transactions'),
    badEvents: count('bad_events'),
    totalEvents: count('total_events'),
    batchesDone: batches,
    averageBatchSize: batches === 0 ? 0 : count('batched_events') / batches,
    firstSourceTs: time('first_source_ts'),
    firstAppliedTs: time('first_applied_ts'),
    lastSourceTs: time('last_source_ts'),
    lastAppliedTs: time('last_applied_ts'),
    snapshotTables: count('snapshot_tables'),
    snapshotRows: count('snapshot_rows'),
    snapshotBeginTs: time('snapshot_begin_ts'),
    snapshotEndTs: time('snapshot_end_ts'),
    lagMs: row.lag_ms === null || row.lag_ms === undefined ? null : Number(row.lag_ms),
  };
}
