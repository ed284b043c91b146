import type { SnapshotMode } from '../plugin/source-plugin.js';
import type { TargetTable } from '../target/target-table.js';
import type { Stage } from './connector-state.js';
import type { TableProgress } from './progress-store.js';
import type { StoredPosition } from './state-store.js';

/** What one start of a connector does, decided from its mode and what is already done. */
export interface StartPlan {
  readonly stage: Stage;
  /** Tables to copy: created if missing, emptied, filled from a new capture session. */
  readonly copy: readonly TargetTable[];
  /** Tables to create without data. */
  readonly createOnly: readonly TargetTable[];
  /** Open a capture session (creates the source slot and pins the stream's start offset). */
  readonly capture: boolean;
  /** Tables that must already exist at the destination and are adopted as they are (NEVER). */
  readonly adopt: readonly TargetTable[];
  /** SCHEMASYNC: pause after building the tables so the user can review them. */
  readonly pauseAfter: boolean;
  readonly cdc: boolean;
}

/**
 * SynchDB's snapshot modes, with its bugs fixed: INITIAL copies only tables never copied (so a
 * restart after a completed snapshot goes straight to CDC, and a table added to `tables` is copied
 * alone); ALWAYS copies `snapshotTables` (or every table) again while the others keep their data.
 */
export function planStart(
  mode: SnapshotMode,
  position: StoredPosition,
  progress: ReadonlyMap<string, TableProgress>,
  targets: readonly TargetTable[],
  snapshotTables: readonly string[] | null,
): StartPlan {
  const fresh = targets.filter((table) => progress.get(table.sourceName)?.status !== 'done');
  const needsStart = position.offset === null && position.startOffset === null;
  const base = { copy: [], createOnly: [], adopt: [], pauseAfter: false, cdc: true };
  switch (mode) {
    case 'initial':
    case 'initial_only':
      return {
        ...base,
        stage: fresh.length > 0 ? 'initial_snapshot' : 'change_data_capture',
        copy: fresh,
        capture: fresh.length > 0 || needsStart,
        cdc: mode === 'initial',
      };
    case 'no_data':
      return {
        ...base,
        stage: 'initial_snapshot',
        createOnly: fresh,
        capture: fresh.length > 0 || needsStart,
      };
    case 'never':
      return { ...base, stage: 'change_data_capture', capture: needsStart, adopt: fresh };
    case 'always': {
      const chosen = snapshotTables
        ? targets.filter((table) => snapshotTables.includes(table.sourceName))
        : targets;
      return { ...base, stage: 'initial_snapshot', copy: chosen, capture: true };
    }
    case 'schemasync':
      return { ...base, stage: 'schema_sync', createOnly: targets, capture: true, pauseAfter: true };
  }
}
