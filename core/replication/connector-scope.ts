import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `work` as part of connector `name`'s job: everything it starts (promises, timers, socket
 * callbacks) carries the name, so an error that escapes it can be traced to the connector (see
 * `currentConnector`).
 */
export function inConnectorScope<T>(name: string, work: () => T): T {
  return scope.run(name, work);
}

/** Runs `work` outside any connector's scope (an error it lets escape is no connector's). */
export function outsideConnectorScope<T>(work: () => T): T {
  return scope.exit(work);
}

/**
 * The connector whose job the current code runs for, if any. Inside `unhandledRejection` and
 * `uncaughtException` handlers it names the job the failed promise or callback belongs to.
 */
export function currentConnector(): string | undefined {
  return scope.getStore();
}
