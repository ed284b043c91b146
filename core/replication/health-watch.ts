import { ENGINE_LIMITS, type JobContext } from './job-context.js';

/**
 * While the stream runs, asks the source connection for a health warning now and then (see
 * `SourceConnection.health`) and shows it in the connector's state when it changes. The warning
 * stays after the job stops, since what it warns about (retained history) outlives the job.
 * At the same pace it reads the source's position lag (`SourceConnection.positionLagBytes`) and
 * announces it (ConnectorEvents, for the metrics), null once watching stops.
 * Returns the function that stops watching.
 */
export function watchHealth(context: JobContext): () => void {
  const { connection, record, state, log, events } = context;
  if (!connection.health && !connection.positionLagBytes) return () => undefined;
  let last: string | null | undefined;
  let checking = false;
  let stopped = false;
  const check = async () => {
    if (checking || context.signal.aborted) return;
    checking = true;
    try {
      if (connection.positionLagBytes) {
        const bytes = await connection.positionLagBytes();
        if (!stopped) events.positionLag(record.name, bytes);
      }
      if (!connection.health) return;
      const warning = (await connection.health()) ?? null;
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
  return () => {
    stopped = true;
    clearInterval(timer);
    events.positionLag(record.name, null);
  };
}
