import type { TargetTable } from '../target/target-table.js';
import type { JobContext } from './job-context.js';
import type { PlannedTable } from './snapshot-progress.js';

/**
 * The tables a snapshot copies, each with the source's estimate of its row count (see
 * `SourceConnection.estimateRows`). A plugin without estimates, a wrong answer or a failure leaves
 * the estimates unknown: they only feed progress, so they never stop a snapshot.
 */
export async function estimateRows(
  context: Pick<JobContext, 'connection' | 'log'>,
  tables: readonly TargetTable[],
): Promise<PlannedTable[]> {
  let estimates: readonly (number | null)[] = [];
  if (tables.length > 0 && context.connection.estimateRows) {
    try {
      estimates = await context.connection.estimateRows(tables.map((table) => table.source));
    } catch (error) {
      context.log.warn({ err: error }, 'cannot estimate the row counts; snapshot progress shows no total');
    }
  }
  return tables.map((table, index) => {
    const estimate = estimates[index];
    const valid = typeof estimate === 'number' && Number.isFinite(estimate) && estimate >= 0;
    return { table: table.sourceName, rowsEstimated: valid ? Math.round(estimate) : null };
  });
}
