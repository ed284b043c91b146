import type pg from 'pg';
import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import { ConnectorEvents } from './connector-events.js';
import type { ConnectorState, RunState, Stage } from './connector-state.js';
import { OffsetStore } from './offset-store.js';

export interface StatePatch {
  readonly stage?: Stage;
  readonly state?: RunState;
  readonly error?: string | null;
  readonly warning?: string | null;
  readonly paused?: boolean;
  readonly snapshotDone?: boolean;
}

/** What the engine needs to know to (re)start a connector. */
export interface StoredPosition {
  readonly snapshotDone: boolean;
  readonly paused: boolean;
  /** Last committed checkpoint. */
  readonly offset: string | null;
  /** Where the stream starts before the first checkpoint commits. */
  readonly startOffset: string | null;
}

const STATE_COLUMNS = `s.stage, s.state, s.error, s.warning, o."offset", greatest(s.updated_at, o.updated_at) AS "updatedAt"`;
const STATE_FROM = 'tributary.connector_state s LEFT JOIN tributary.offsets o USING (connector)';

/** Persists each connector's stage, state, error and pause flag; announces every change. */
@injectable()
export class StateStore {
  constructor(
    @inject(TARGET_DATABASE) private readonly db: TargetDatabase,
    @inject(ConnectorEvents) private readonly events: ConnectorEvents,
    @inject(OffsetStore) private readonly offsets: OffsetStore,
  ) {}

  async state(connector: string): Promise<ConnectorState | null> {
    const { rows } = await this.db.query<ConnectorState>(
      `SELECT ${STATE_COLUMNS} FROM ${STATE_FROM} WHERE s.connector = $1`,
      [connector],
    );
    return rows[0] ?? null;
  }

  /** Every connector's state by name, read on `client` (e.g. inside a snapshot). */
  async all(client: pg.ClientBase): Promise<Map<string, ConnectorState>> {
    const { rows } = await client.query<ConnectorState & { connector: string }>(
      `SELECT s.connector, ${STATE_COLUMNS} FROM ${STATE_FROM}`,
    );
    return new Map(rows.map(({ connector, ...state }) => [connector, state]));
  }

  async update(connector: string, patch: StatePatch): Promise<void> {
    const columns: Record<string, unknown> = {
      stage: patch.stage,
      state: patch.state,
      error: patch.error,
      warning: patch.warning,
      paused: patch.paused,
      snapshot_done: patch.snapshotDone,
    };
    const entries = Object.entries(columns).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    const set = entries.map(([column], i) => `${column} = $${i + 2}`).join(', ');
    await this.db.query(
      `UPDATE tributary.connector_state SET ${set}, updated_at = now() WHERE connector = $1`,
      [connector, ...entries.map(([, value]) => value)],
    );
    this.events.stateChanged(connector);
  }

  async setActive(connector: string, active: boolean): Promise<void> {
    await this.db.query('UPDATE tributary.connectors SET active = $2 WHERE name = $1', [connector, active]);
    this.events.stateChanged(connector);
  }

  async position(connector: string): Promise<StoredPosition> {
    const { rows } = await this.db.query<StoredPosition>(
      `SELECT s.snapshot_done AS "snapshotDone", s.paused, o."offset", o.start_offset AS "startOffset"
         FROM tributary.connector_state s LEFT JOIN tributary.offsets o USING (connector)
        WHERE s.connector = $1`,
      [connector],
    );
    return rows[0] ?? { snapshotDone: false, paused: false, offset: null, startOffset: null };
  }

  /** Records where the stream starts, once: a later capture session never moves it back. */
  async recordStartOffset(connector: string, offset: string): Promise<void> {
    await this.offsets.recordStart(connector, offset);
  }

  /** The user's setOffset: the stream resumes after `offset`. */
  async overwriteOffset(connector: string, offset: string): Promise<void> {
    await this.offsets.commit(connector, offset);
  }

  /** Forgets the capture entirely (history lost): the next start snapshots every table again. */
  async resetCapture(connector: string): Promise<void> {
    await this.db.transaction(async (client) => {
      await this.offsets.forgetIn(client, connector);
      await client.query('DELETE FROM tributary.table_progress WHERE connector = $1', [connector]);
      await client.query('UPDATE tributary.connector_state SET snapshot_done = false WHERE connector = $1', [
        connector,
      ]);
    });
  }
}
