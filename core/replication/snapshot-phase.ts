import type pg from 'pg';
import { writeAttributes } from '../mappings/attribute-writer.js';
import type { CaptureSession } from '../plugin/source-connection.js';
import type { Row } from '../plugin/source-event.js';
import { applyChanges } from '../target/apply-changes.js';
import { copyRows, copyText } from '../target/copy-rows.js';
import { tableExists } from '../target/table-ddl.js';
import { hasTransforms, type TargetTable } from '../target/target-table.js';
import { handleBadEvents } from './bad-events.js';
import { ENGINE_LIMITS, type JobContext } from './job-context.js';
import { estimateRows } from './row-estimates.js';
import type { StartPlan } from './start-plan.js';
import { takeDestination } from './take-destination.js';

/**
 * Builds and fills the destination for a start plan. The capture's start offset is recorded
 * before any row is copied; each table is copied in one target transaction together with its
 * progress row and stats, so a crash leaves it either complete or untouched (copied again).
 */
export async function runSnapshot(context: JobContext, plan: StartPlan): Promise<void> {
  await adoptExisting(context, plan.adopt);
  if (!plan.capture) return;
  context.signal.throwIfAborted();
  const sources = [...plan.copy, ...plan.createOnly].map((table) => table.source);
  const planned = await estimateRows(context, plan.copy);
  const session = await context.connection.startCapture(
    sources.length > 0 ? sources : [...context.targets.values()].map((t) => t.source),
  );
  try {
    await context.state.recordStartOffset(context.record.name, session.startOffset);
    context.snapshot.begin(planned);
    for (const table of plan.createOnly) {
      context.signal.throwIfAborted();
      await createEmpty(context, table);
    }
    if (plan.copy.length > 0) await context.stats.markSnapshot(context.record.name, 'begin');
    for (const table of plan.copy) {
      context.signal.throwIfAborted();
      await copyTable(context, session, table);
    }
    if (plan.copy.length > 0) await context.stats.markSnapshot(context.record.name, 'end');
  } finally {
    context.snapshot.settle();
    await session[Symbol.asyncDispose]();
  }
}

async function createEmpty(context: JobContext, table: TargetTable): Promise<void> {
  await context.db.transaction(async (client) => {
    await takeDestination(client, context.record, table, 'create');
    await writeAttributes(client, context.record.name, table);
    await context.progress.tableDoneIn(client, context.record.name, table.sourceName, 0, null);
  });
}

async function copyTable(context: JobContext, session: CaptureSession, table: TargetTable): Promise<void> {
  const { record, signal } = context;
  const started = Date.now();
  context.snapshot.copying(table.sourceName);
  const rows = await context.db.transaction(async (client) => {
    await takeDestination(client, record, table, 'copy');
    const batches = () =>
      session.readTable(table.source, { batchSize: ENGINE_LIMITS.snapshotBatchRows, signal });
    const copied = hasTransforms(table)
      ? await insertTransformed(context, client, table, batches(), session.startOffset)
      : canCopyText(context, table, session)
        ? await copyText(client, table, session.copyTable(table.source, { signal }), context.reportCopied)
        : await copyRows(client, table, batches(), context.reportCopied);
    signal.throwIfAborted();
    await writeAttributes(client, record.name, table);
    await context.progress.tableDoneIn(client, record.name, table.sourceName, copied, session.startOffset);
    await context.stats.addIn(client, record.name, { snapshotTables: 1, snapshotRows: copied });
    context.snapshot.committing();
    return copied;
  });
  context.snapshot.done(rows);
  context.log.info({ table: table.sourceName, rows, ms: Date.now() - started }, 'table copied');
}

/**
 * Fills a table with TRANSFORM rules through the same set-based statements as CDC (one per batch),
 * so a transform means the same in both. A value a transform fails on is a bad event: SKIP records
 * it and goes on, EXIT and RETRY stop the copy. Returns the number of rows inserted.
 */
async function insertTransformed(
  context: JobContext,
  client: pg.ClientBase,
  table: TargetTable,
  batches: AsyncIterable<readonly Row[]>,
  commitOffset: string,
): Promise<number> {
  const isolate = context.record.errorStrategy === 'skip';
  let total = 0;
  for await (const batch of batches) {
    const pending = batch.map((after) => ({
      table,
      change: { kind: 'change', op: 'insert', table: table.source.ref, after, commitOffset } as const,
    }));
    const failures = await applyChanges(client, pending, isolate);
    if (failures.length > 0) {
      await handleBadEvents(client, context, failures);
      await context.stats.addIn(client, context.record.name, { badEvents: failures.length });
    }
    total += batch.length - failures.length;
    context.reportCopied(total);
  }
  return total;
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
    context.signal.throwIfAborted();
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
