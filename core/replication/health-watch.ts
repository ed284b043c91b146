import { ENGINE_LIMITS, type JobContext } from './job-context.js';

/**
 * While the stream runs, asks the source connection for a health warning now and then (see
 * `SourceConnection.health`) and shows it in the connector's state when it changes. The warning
 * stays after the job stops, since what it warns about (retained history) outlives the job.
 * Returns the function that stops watching.
 */
export function watchHealth(context: JobContext): () => void {
  const { connection, record, state, log } = context;
  if (!connection.health) return () => undefined;
  let last: string | null | undefined;
  let checking = false;
  const check = async () => {
    if (checking || context.signal.aborted) return;
    checking = true;
    try {
      const warning = (await connection.health?.()) ?? null;
      if (warning !== last) {
        last = warning;
        await state.update(record.name, { warning });
        if (warning) log.warn({ warning }, 'source capture needs attention');
      }
    } catch (error) {
      log.debug({ err: error }, 'source health check failed');
    } finally {
      checking = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), ENGINE_LIMITS.healthIntervalMs);
  return () => clearInterval(timer);
}
