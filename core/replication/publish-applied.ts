import type { PendingChange } from '../target/apply-changes.js';
import type { AppliedDdl } from './change-batch.js';
import type { AppliedChange } from './connector-events.js';
import type { JobContext } from './job-context.js';

/** Announces committed changes to `changes` subscribers (nothing to do when none listen). */
export function publishApplied(
  context: JobContext,
  applied: readonly (PendingChange | AppliedDdl)[],
  offset: string,
): void {
  if (!context.events.hasChangeListeners) return;
  for (const item of applied) {
    context.events.changeApplied(feedItem(context.record.name, item, offset));
  }
}

function feedItem(connector: string, item: PendingChange | AppliedDdl, offset: string): AppliedChange {
  const { table } = item;
  const common = {
    connector,
    sourceTable: table.sourceName,
    destinationTable: `${table.schema}.${table.name}`,
    offset,
  };
  if ('ddl' in item) {
    const { ddl } = item;
    const columns = ddl.action === 'drop' ? [] : table.columns;
    return {
      ...common,
      op: 'ddl',
      before: null,
      after: null,
      sourceTs: ddl.sourceTs ?? null,
      ddl: {
        action: ddl.action,
        statement: ddl.statement ?? null,
        columns: columns.map((c) => ({
          name: c.name,
          sourceName: c.source,
          type: c.type,
          nullable: c.nullable,
        })),
      },
    };
  }
  const { change } = item;
  return {
    ...common,
    op: change.op,
    before: change.before ?? null,
    after: change.after ?? null,
    sourceTs: change.sourceTs ?? null,
  };
}
