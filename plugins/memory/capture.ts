import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type CaptureSession,
  type ReadTableOptions,
  type Row,
  type SourceTable,
  SourceUnavailableError,
} from '../../core/plugin/index.js';
import { orderRows } from './database/key-order.js';
import type { MemoryDatabase, PinnedTable, PinnedView } from './database/memory-database.js';
import { formatOffset } from './offset.js';
import { projectRow } from './schema/column-types.js';

/**
 * Creates the slot (at the head, unless it exists) and pins every table in the same synchronous
 * step, so the view and `startOffset` describe the same moment: `handoff: 'exact'`. Throws
 * SourceUnavailableError while `settings.captureEnabled` is false.
 */
export function startCapture(database: MemoryDatabase, slot: string): CaptureSession {
  if (!database.settings.captureEnabled) {
    throw new SourceUnavailableError(
      `change capture is disabled on memory database ${database.name}; set settings.captureEnabled = true`,
    );
  }
  database.createSlot(slot);
  return new MemoryCaptureSession(database.name, database.pin());
}

/**
 * Reads the pinned view. The database copies a pinned table's rows before changing them
 * (copy-on-write), and each row is copied out as it is read (copy-on-read), so rows are exactly as
 * of `startOffset` and callers cannot change the database through them.
 */
class MemoryCaptureSession implements CaptureSession {
  readonly startOffset: string;
  private view: PinnedView | undefined;

  constructor(
    private readonly database: string,
    view: PinnedView,
  ) {
    this.view = view;
    this.startOffset = formatOffset(view.sequence);
  }

  /** Yields to the event loop before each batch, and throws the signal's reason once it aborts. */
  async *readTable(table: SourceTable, options: ReadTableOptions): AsyncGenerator<readonly Row[]> {
    const { batchSize, signal } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive whole number, got ${batchSize}`);
    }
    const pinned = this.pinned(table);
    const rows = orderRows(pinned.definition, pinned.rows, options.afterKey);
    signal.throwIfAborted();
    for (let start = 0; start < rows.length; start += batchSize) {
      await nextTurn();
      signal.throwIfAborted();
      yield rows.slice(start, start + batchSize).map((row) => projectRow(pinned.definition, row));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.view = undefined;
  }

  private pinned(table: SourceTable): PinnedTable {
    if (this.view === undefined) throw new Error('the capture session is closed');
    const pinned = table.ref.database === this.database ? this.view.tables.get(table.ref.name) : undefined;
    if (pinned === undefined) {
      throw new Error(
        `table ${table.ref.database}.${table.ref.name} did not exist at offset ${this.startOffset}`,
      );
    }
    return pinned;
  }
}
