import {
  type CaptureSession,
  type ConnectContext,
  HistoryLostError,
  type PrerequisiteCheck,
  type ReadChangesOptions,
  type SourceConnection,
  type SourceEvent,
  type SourceTable,
  SourceUnavailableError,
  type TableSelection,
} from '../../core/plugin/index.js';
import { startCapture } from './capture.js';
import type { MemoryConfig } from './config.js';
import type { MemoryDatabase } from './database/memory-database.js';
import { getMemoryDatabase } from './database/memory-registry.js';
import { discoverTables } from './discover.js';
import { parseOffset } from './offset.js';
import { streamChanges } from './stream.js';

/**
 * A connection to a named memory database. Connecting always succeeds, like a driver that connects
 * lazily: a missing database is reported by `check()` (failed `database_exists`), and every other
 * method throws SourceUnavailableError naming it, as a real source does when it is unreachable.
 * The database is looked up on every call, so one dropped and registered again is seen.
 * The capture slot is named `options.slotName`, or else the connector's name.
 */
export class MemoryConnection implements SourceConnection {
  private readonly closed = new AbortController();

  constructor(
    private readonly config: MemoryConfig,
    private readonly context: ConnectContext,
  ) {}

  private get slot(): string {
    return this.config.options.slotName ?? this.context.connectorName;
  }

  async check(): Promise<PrerequisiteCheck[]> {
    const name = this.config.database;
    const database = getMemoryDatabase(name);
    if (database === undefined) {
      const hint = `registerMemoryDatabase(new MemoryDatabase('${name}')) in this process before connecting`;
      return [
        { name: 'database_exists', ok: false, detail: `memory database ${name} is not registered`, hint },
      ];
    }
    const enabled = database.settings.captureEnabled;
    return [
      { name: 'database_exists', ok: true, detail: `memory database ${name} is registered` },
      {
        name: 'capture_enabled',
        ok: enabled,
        detail: `captureEnabled is ${enabled}`,
        ...(enabled ? {} : { hint: `set settings.captureEnabled = true on memory database ${name}` }),
      },
    ];
  }

  async discover(selection: TableSelection): Promise<SourceTable[]> {
    return discoverTables(this.database(), selection);
  }

  /** Exact: a memory table knows its row count. */
  async estimateRows(tables: readonly SourceTable[]): Promise<(number | null)[]> {
    const database = this.database();
    return tables.map((table) => database.rowCount(table.ref.name) ?? null);
  }

  /** Pins every table of the database, whichever `tables` are named: pinning costs nothing here. */
  async startCapture(_tables: readonly SourceTable[]): Promise<CaptureSession> {
    return startCapture(this.database(), this.slot);
  }

  /** Errors, including a missing database, surface from the iteration, not from this call. */
  readChanges(from: string, options: ReadChangesOptions): AsyncIterable<SourceEvent> {
    const signal = AbortSignal.any([options.signal, this.context.signal, this.closed.signal]);
    let streamed: MemoryDatabase | undefined;
    const current = () => {
      streamed ??= this.database();
      if (getMemoryDatabase(streamed.name) !== streamed) {
        throw new SourceUnavailableError(`memory database ${streamed.name} was dropped while streaming`);
      }
      return streamed;
    };
    return streamChanges(current, this.slot, from, signal);
  }

  /** Throws HistoryLostError when the slot is gone, and RangeError for an offset past the head. */
  async ack(offset: string): Promise<void> {
    const database = this.database();
    const sequence = parseOffset(offset);
    if (sequence > database.headSequence) {
      throw new RangeError(
        `cannot acknowledge offset ${offset}: memory database ${database.name} has not reached it`,
      );
    }
    if (database.slotPosition(this.slot) === undefined) {
      throw new HistoryLostError(
        `capture slot ${this.slot} does not exist in memory database ${database.name}`,
      );
    }
    database.advanceSlot(this.slot, sequence);
  }

  /** Idempotent, and a no-op when the database itself is gone (its slots went with it). */
  async dropCapture(): Promise<void> {
    getMemoryDatabase(this.config.database)?.dropSlot(this.slot);
  }

  /** Ends every stream of this connection; later calls throw SourceUnavailableError. */
  async close(): Promise<void> {
    this.closed.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private database(): MemoryDatabase {
    const name = this.config.database;
    if (this.closed.signal.aborted) {
      throw new SourceUnavailableError(`the connection to memory database ${name} is closed`);
    }
    const database = getMemoryDatabase(name);
    if (database === undefined) {
      throw new SourceUnavailableError(
        `memory database ${name} does not exist; register it with registerMemoryDatabase`,
      );
    }
    return database;
  }
}
