import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import type { ConnectorState, ConnectorStats } from './connector-state.js';

/** Reads the persisted state, offset and statistics of connectors. */
@injectable()
export class StateStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  async state(connector: string): Promise<ConnectorState | null> {
    const { rows } = await this.db.query<ConnectorState>(
      `SELECT s.stage, s.state, s.error, o."offset", greatest(s.updated_at, o.updated_at) AS "updatedAt"
         FROM tributary.connector_state s LEFT JOIN tributary.offsets o USING (connector)
        WHERE s.connector = $1`,
      [connector],
    );
    return rows[0] ?? null;
  }

  async stats(connector: string): Promise<ConnectorStats | null> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      'SELECT * FROM tributary.stats WHERE connector = $1',
      [connector],
    );
    return rows[0] ? statsFromRow(rows[0]) : null;
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
