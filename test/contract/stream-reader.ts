import type {
  Checkpoint,
  RowChange,
  SourceConnection,
  SourceEvent,
  SourceTable,
  TruncateChange,
} from '../../core/plugin/index.js';

export type DataEvent = RowChange | TruncateChange;

/** The data events of one source transaction and the checkpoint that closed it. */
export interface Transaction {
  readonly events: readonly DataEvent[];
  readonly checkpoint: string;
}

export interface ReadOptions {
  readonly tables: readonly SourceTable[];
  /** Stops reading once this holds for the events read so far, checked after every checkpoint. */
  readonly until: (events: readonly SourceEvent[]) => boolean;
  /** Gives up (returning what arrived) after this long; default 10 s. */
  readonly timeoutMs?: number;
}

/** Reads `readChanges(from)` until `until` holds or the time is up, then aborts the stream. */
export async function readEvents(
  connection: SourceConnection,
  from: string,
  { tables, until, timeoutMs = 10_000 }: ReadOptions,
): Promise<SourceEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: SourceEvent[] = [];
  try {
    for await (const event of connection.readChanges(from, { tables, signal: controller.signal })) {
      events.push(event);
      if (event.kind === 'checkpoint' && until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

/** A stop condition: at least `count` data events, followed by a checkpoint. */
export function dataEvents(count: number): (events: readonly SourceEvent[]) => boolean {
  return (events) => events.filter(isDataEvent).length >= count;
}

export function isDataEvent(event: SourceEvent): event is DataEvent {
  return event.kind === 'change' || event.kind === 'truncate';
}

export function checkpoints(events: readonly SourceEvent[]): Checkpoint[] {
  return events.filter((event): event is Checkpoint => event.kind === 'checkpoint');
}

/**
 * Groups data events by the checkpoint that follows them. Checkpoints with no data event before
 * them (idle checkpoints, transactions of other tables or only of DDL) are dropped; events after
 * the last checkpoint are ignored.
 */
export function transactions(events: readonly SourceEvent[]): Transaction[] {
  const result: Transaction[] = [];
  let pending: DataEvent[] = [];
  for (const event of events) {
    if (event.kind === 'checkpoint') {
      if (pending.length > 0) result.push({ events: pending, checkpoint: event.offset });
      pending = [];
    } else if (isDataEvent(event)) {
      pending.push(event);
    }
  }
  return result;
}

/** `insert items id=2`, `truncate items`: a data event in a form that diffs well. Tables key on `id`. */
export function summarise(event: DataEvent): string {
  if (event.kind === 'truncate') return `truncate ${event.tables.map((table) => table.name).join(',')}`;
  const row = event.op === 'delete' ? event.before : event.after;
  return `${event.op} ${event.table.name} id=${String(row?.id)}`;
}

export function summariseAll(events: readonly SourceEvent[]): string[] {
  return events.filter(isDataEvent).map(summarise);
}
