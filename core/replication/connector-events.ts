import { EventEmitter } from 'node:events';
import { inject, injectable } from 'tsyringe';
import type { Logger } from '../logger.js';
import { LOGGER } from '../tokens.js';
import type { ChangeOp } from './change-feed.js';

/** A destination column as a DDL event shows the table's new shape. */
export interface AppliedColumn {
  readonly name: string;
  readonly sourceName: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** What a schema change did to a destination table (op `ddl`). */
export interface AppliedSchemaChange {
  readonly action: 'create' | 'alter' | 'drop' | 'rename';
  /** The statement as the source logged it, when it did. */
  readonly statement: string | null;
  /** The table's columns after the change; empty after a drop. */
  readonly columns: readonly AppliedColumn[];
}

/** One applied change as the `changes` subscription shows it. */
export interface AppliedChange {
  readonly connector: string;
  readonly op: ChangeOp;
  readonly sourceTable: string;
  readonly destinationTable: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly sourceTs: Date | null;
  readonly offset: string | null;
  /** Set on op `ddl` only. */
  readonly ddl?: AppliedSchemaChange;
}

interface EventMap {
  state: [connector: string];
  change: [change: AppliedChange];
  batch: [connector: string, seconds: number];
  restart: [connector: string];
  positionLag: [connector: string, bytes: number | null];
}

/**
 * In-process fan-out of connector state changes and applied changes to subscribers. Publishing
 * costs nothing when nobody listens; listeners must not block (subscriptions buffer on their side).
 * A listener that throws is logged and left out of that event: a broken subscriber never fails the
 * job that publishes.
 */
@injectable()
export class ConnectorEvents {
  private readonly emitter = new EventEmitter<EventMap>();

  constructor(@inject(LOGGER) private readonly log: Logger) {
    this.emitter.setMaxListeners(0);
  }

  stateChanged(connector: string): void {
    this.emitter.emit('state', connector);
  }

  get hasChangeListeners(): boolean {
    return this.emitter.listenerCount('change') > 0;
  }

  changeApplied(change: AppliedChange): void {
    this.emitter.emit('change', change);
  }

  /** A streaming batch committed `seconds` after its first event was read (for metrics). */
  batchCommitted(connector: string, seconds: number): void {
    this.emitter.emit('batch', connector, seconds);
  }

  /** A failed job is about to be retried (for metrics). */
  restarting(connector: string): void {
    this.emitter.emit('restart', connector);
  }

  /** The source's position is `bytes` ahead of the connector's; null when unknown or stopped (for metrics). */
  positionLag(connector: string, bytes: number | null): void {
    this.emitter.emit('positionLag', connector, bytes);
  }

  on<K extends keyof EventMap>(event: K, listener: (...args: EventMap[K]) => void): () => void {
    const guarded = (...args: EventMap[K]) => {
      try {
        listener(...args);
      } catch (error) {
        this.log.error({ err: error, event }, 'a subscriber of connector events failed; the job goes on');
      }
    };
    this.emitter.on(event, guarded as never);
    return () => this.emitter.off(event, guarded as never);
  }
}
