import { AsyncLocalStorage } from 'node:async_hooks';

/** One run of a connector's job: a new object each time the job is launched. */
export interface JobScope {
  readonly connector: string;
}

const scope = new AsyncLocalStorage<JobScope>();

/**
 * Runs `work` as part of a job: everything it starts (promises, timers, socket callbacks) carries
 * `job`, so an error that escapes it can be traced to that run of the connector (see `currentJob`).
 */
export function inJobScope<T>(job: JobScope, work: () => T): T {
  return scope.run(job, work);
}

/** Runs `work` outside any job's scope (an error it lets escape is no connector's). */
export function outsideJobScope<T>(work: () => T): T {
  return scope.exit(work);
}

/**
 * The job the current code runs for, if any. Inside `unhandledRejection` and `uncaughtException`
 * handlers it is the job the failed promise or callback belongs to.
 */
export function currentJob(): JobScope | undefined {
  return scope.getStore();
}
