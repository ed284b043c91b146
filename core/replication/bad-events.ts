import type pg from 'pg';
import type { ApplyFailure } from '../target/apply-changes.js';
import { BadEventError } from './bad-event-error.js';
import type { JobContext } from './job-context.js';

/**
 * Handles changes that could not be applied, by the connector's error strategy: SKIP records each
 * in `tributary.dead_letters` (inside the caller's transaction, so it commits with the rows around
 * it) and goes on; EXIT and RETRY throw a BadEventError for the first.
 */
export async function handleBadEvents(
  client: pg.ClientBase,
  context: JobContext,
  failures: readonly ApplyFailure[],
): Promise<void> {
  const [first] = failures;
  if (context.record.errorStrategy !== 'skip' && first) throw new BadEventError(first.reason, first.pending);
  for (const { pending, reason } of failures) {
    const { change, table } = pending;
    await client.query(
      `INSERT INTO tributary.dead_letters (connector, source_table, "offset", event, error) VALUES ($1, $2, $3, $4, $5)`,
      [
        context.record.name,
        table.sourceName,
        change.commitOffset,
        JSON.stringify({ op: change.op, before: change.before ?? null, after: change.after ?? null }),
        reason,
      ],
    );
    context.log.warn({ table: table.sourceName, reason }, 'bad event skipped into tributary.dead_letters');
  }
}
