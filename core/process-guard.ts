import type { Logger } from './logger.js';
import { currentJob, type JobScope, outsideJobScope } from './replication/job-scope.js';

/** What an escaped error is: a rejected promise nobody handled, or an exception nobody caught. */
export type EscapeKind = 'unhandledRejection' | 'uncaughtException';

/**
 * Keeps the server process alive when an error escapes every boundary: a promise rejection that
 * no one handles or an exception thrown from a callback (a stream's 'error' without a listener, a
 * timer). Without this Node ends the process, stopping every connector and the API for the fault
 * of one. Each escaped error is logged at `fatal` level with its stack; when it can be traced to
 * a connector's job (see `currentJob`), `failJob` is called to stop that job only. Returns the
 * function that removes the guard.
 */
export function guardProcess(
  logger: Logger,
  failJob: (job: JobScope, error: unknown) => Promise<void>,
): () => void {
  const handle = (kind: EscapeKind) => (error: unknown) => {
    const job = currentJob();
    const connector = job?.connector;
    logger.fatal(
      { err: error, kind, connector },
      connector
        ? `an error escaped connector "${connector}"; stopping that connector, the server goes on`
        : 'an error escaped its handler; the server goes on',
    );
    if (job === undefined) return;
    outsideJobScope(() =>
      failJob(job, error).catch((cause: unknown) =>
        logger.error({ err: cause, connector }, 'stopping the connector after an escaped error failed'),
      ),
    );
  };
  const onRejection = handle('unhandledRejection');
  const onException = handle('uncaughtException');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
