import { writeAttributes } from '../mappings/attribute-writer.js';
import type { CaptureSession } from '../plugin/source-connection.js';
import { copyRows, copyText } from '../target/copy-rows.js';
import { createTable, tableExists, truncateTables } from '../target/table-ddl.js';
import type { TargetTable } from '../target/target-table.js';
import { ENGINE_LIMITS, type JobContext } from './job-context.js';
import type { StartPlan } from './start-plan.js';

/**
 * Builds and fills the destination for a start plan. The capture's start offset is recorded
 * before any row is copied; each table is copied in one target transaction together with its
 * progress row and stats, so a crash leaves it either complete or untouched (copied again).
 */
export async function runSnapshot(context: JobContext, plan: StartPlan): Promise<void> {
  await adoptExisting(context, plan.adopt);
  if (!plan.capture) return;
  const sources = [...plan.copy, ...plan.createOnly].map((table) => table.source);
  const session = await context.connection.startCapture(
    sources.length > 0 ? sources : [...context.targets.values()].map((t) => t.source),
  );
  try {
    await context.state.recordStartOffset(context.record.name, session.startOffset);
    for (const table of plan.createOnly) await createEmpty(context, table);
    if (plan.copy.length > 0) await context.stats.markSnapshot(context.record.name, 'begin');
    for (const table of plan.copy) {
      context.signal.throwIfAborted();
      await copyTable(context, session, table);
    }
    if (plan.copy.length > 0) await context.stats.markSnapshot(context.record.name, 'end');
  } finally {
    await session[Symbol.asyncDispose]();
  }
}

async function createEmpty(context: JobContext, table: TargetTable): Promise<void> {
  await context.db.transaction(async (client) => {
    await createTable(client, table);
    await writeAttributes(client, context.record.name, table);
    await context.progress.tableDoneIn(client, context.record.name, table.sourceName, 0, null);
  });
}

async function copyTable(context: JobContext, session: CaptureSession, table: TargetTable): Promise<void> {
  const { record, signal } = context;
  const started = Date.now();
  const rows = await context.db.transaction(async (client) => {
    await createTable(client, table);
    await truncateTables(client, [table]);
    const copied = canCopyText(context, table, session)
      ? await copyText(client, table, session.copyTable(table.source, { signal }), context.reportCopied)
      : await copyRows(
          client,
          table,
          session.readTable(table.source, { batchSize: ENGINE_LIMITS.snapshotBatchRows, signal }),
          context.reportCopied,
        );
    signal.throwIfAborted();
    await writeAttributes(client, record.name, table);
    await context.progress.tableDoneIn(client, record.name, table.sourceName, copied, session.startOffset);
    await context.stats.addIn(client, record.name, { snapshotTables: 1, snapshotRows: copied });
    return copied;
  });
  context.reportCopied(0);
  context.log.info({ table: table.sourceName, rows, ms: Date.now() - started }, 'table copied');
}

/** COPY text passes straight through when every column keeps the plugin's default type. */
function canCopyText(
  context: JobContext,
  table: TargetTable,
  session: CaptureSession,
): session is CaptureSession & Required<Pick<CaptureSession, 'copyTable'>> {
  if (!session.copyTable) return false;
  return table.source.columns.every(
    (column, i) => table.columns[i]?.type === context.plugin.defaultTargetType(column).toLowerCase(),
  );
}

/** NEVER: the destination tables must exist; they are recorded as they are, without data copied. */
async function adoptExisting(context: JobContext, tables: readonly TargetTable[]): Promise<void> {
  for (const table of tables) {
    await context.db.transaction(async (client) => {
      if (!(await tableExists(client, table.schema, table.name))) {
        throw new Error(
          `destination table ${table.schema}.${table.name} does not exist; NEVER replicates into existing tables — create it, or start with NO_DATA or INITIAL`,
        );
      }
      await writeAttributes(client, context.record.name, table);
      await context.progress.tableDoneIn(client, context.record.name, table.sourceName, 0, null);
    });
  }
}
