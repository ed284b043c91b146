import { EventEmitter } from 'node:events';
import { injectable } from 'tsyringe';
import type { ChangeOp } from './change-feed.js';

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
}

interface EventMap {
  state: [connector: string];
  change: [change: AppliedChange];
}

/**
 * In-process fan-out of connector state changes and applied changes to subscribers. Publishing
 * costs nothing when nobody listens; listeners must not block (subscriptions buffer on their side).
 */
@injectable()
export class ConnectorEvents {
  private readonly emitter = new EventEmitter<EventMap>();

  constructor() {
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

  on<K extends keyof EventMap>(event: K, listener: (...args: EventMap[K]) => void): () => void {
    this.emitter.on(event, listener as never);
    return () => this.emitter.off(event, listener as never);
  }
}
