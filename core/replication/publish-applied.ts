import type { PendingChange } from '../target/apply-changes.js';
import type { JobContext } from './job-context.js';

/** Announces committed changes to `changes` subscribers (nothing to do when none listen). */
export function publishApplied(context: JobContext, applied: readonly PendingChange[], offset: string): void {
  if (!context.events.hasChangeListeners) return;
  for (const { table, change } of applied) {
    context.events.changeApplied({
      connector: context.record.name,
      op: change.op,
      sourceTable: table.sourceName,
      destinationTable: `${table.schema}.${table.name}`,
      before: change.before ?? null,
      after: change.after ?? null,
      sourceTs: change.sourceTs ?? null,
      offset,
    });
  }
}
