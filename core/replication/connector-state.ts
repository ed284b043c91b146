export const STAGES = ['initial_snapshot', 'change_data_capture', 'schema_sync'] as const;
export type Stage = (typeof STAGES)[number];

/** SynchDB's run states (its `syncing` is shown as `polling`, as SynchDB's code does). */
export const RUN_STATES = [
  'stopped',
  'initializing',
  'polling',
  'paused',
  'parsing',
  'converting',
  'executing',
  'updating_offset',
  'restarting',
  'schema_sync_done',
  'reloading_objmap',
] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface ConnectorState {
  readonly stage: Stage;
  readonly state: RunState;
  /** Null when there is no error. */
  readonly error: string | null;
  /** A condition that needs attention while the connector runs; null when there is none. */
  readonly warning: string | null;
  /** Last committed offset; null before the first commit. */
  readonly offset: string | null;
  readonly updatedAt: Date;
}

export interface ConnectorStats {
  readonly ddls: number;
  readonly dmls: number;
  readonly creates: number;
  readonly updates: number;
  readonly deletes: number;
  readonly truncates: number;
  readonly transactions: number;
  readonly badEvents: number;
  readonly totalEvents: number;
  readonly batchesDone: number;
  readonly averageBatchSize: number;
  readonly firstSourceTs: Date | null;
  readonly firstAppliedTs: Date | null;
  readonly lastSourceTs: Date | null;
  readonly lastAppliedTs: Date | null;
  readonly snapshotTables: number;
  readonly snapshotRows: number;
  readonly snapshotBeginTs: Date | null;
  readonly snapshotEndTs: Date | null;
  readonly lagMs: number | null;
}
