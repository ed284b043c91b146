import { pino } from 'pino';

export type Logger = pino.Logger;

/** Paths that may hold secrets anywhere in a log record; pino replaces their values. */
const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'secretKey',
  '*.secretKey',
  'apiToken',
  '*.apiToken',
];

/** The process logger: JSON lines on stderr (stdout stays free for CLI output). */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '***' } }, destination);
}
