import { HistoryLostError, SourceRefusedError, SourceUnavailableError } from '../errors.js';
import { BadEventError } from './bad-event-error.js';
import { PrerequisiteError } from './prerequisite-error.js';

/** Socket and driver codes (Node, mysql2) meaning the peer could not be reached or went away. */
const CONNECTIVITY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

/** PostgreSQL SQLSTATEs: admin / crash / cannot-connect-now shutdowns, too many connections. */
const POSTGRES_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Driver messages without a code (node-postgres ends a dead client with plain errors). */
const CONNECTIVITY_MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection is closed/i,
  /connection is in closed state/i,
  /server closed the connection unexpectedly/i,
  /socket hang up/i,
];

/**
 * Whether `error` is a connectivity failure — a peer (source or target) refused, reset, shut down
 * or timed out — rather than a bad event or a setup problem. The job retries these with back-off
 * whatever the connector's error strategy, since the same work succeeds once the peer is back.
 * Bad events, failed prerequisites, lost history and a source's refusal (SourceRefusedError: wrong
 * user or password, no such database, locked account; the plugin decides from its driver's codes)
 * are never transient: the strategy decides.
 */
export function isTransientError(error: unknown): boolean {
  if (
    error instanceof BadEventError ||
    error instanceof PrerequisiteError ||
    error instanceof HistoryLostError
  )
    return false;
  const chain = causes(error);
  if (chain.some((link) => link instanceof SourceRefusedError)) return false;
  return chain.some(
    (link) =>
      link instanceof SourceUnavailableError ||
      isConnectivityFailure(link) ||
      (link instanceof AggregateError && link.errors.some(isTransientError)),
  );
}

/** `error` and its causes, each once (a cause cycle ends the chain). */
function causes(error: unknown): object[] {
  const chain: object[] = [];
  for (let current: unknown = error; current instanceof Object && !chain.includes(current); ) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function isConnectivityFailure(error: object): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (CONNECTIVITY_CODES.has(code) || POSTGRES_STATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  return typeof message === 'string' && CONNECTIVITY_MESSAGES.some((pattern) => pattern.test(message));
}
