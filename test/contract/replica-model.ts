import type { Row, SourceEvent } from '../../core/plugin/index.js';

/**
 * Applies a source event to an in-memory replica keyed by `id`, the way the engine applies it:
 * idempotently by key, a key change moving the row, a truncate emptying it. Other events are ignored.
 */
export function applyByKey(rows: Map<unknown, Row>, event: SourceEvent): void {
  if (event.kind === 'truncate') {
    rows.clear();
    return;
  }
  if (event.kind !== 'change') return;
  const oldId = event.before?.id;
  if (event.op === 'delete') {
    rows.delete(oldId);
    return;
  }
  const previous = oldId === undefined ? undefined : rows.get(oldId);
  if (oldId !== undefined) rows.delete(oldId);
  rows.set(event.after?.id, { ...previous, ...event.after });
}
