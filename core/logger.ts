import { pino } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFormat } from './config.js';

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

/**
 * The process logger, on stderr (stdout stays free for CLI output): JSON lines, or with `pretty`
 * one human line a record (time, level, message, then the fields). Redaction happens before either
 * format sees a record, so secrets are masked in both. A destination stream (tests) takes JSON;
 * `prettyDestination` (a file descriptor or stream) is where pretty lines go.
 */
export function createLogger(
  level: string,
  output: LogFormat | pino.DestinationStream = 'json',
  prettyDestination: number | NodeJS.WritableStream = 2,
): Logger {
  const options = { level, base: undefined, redact: { paths: REDACT, censor: '***' } };
  if (output === 'pretty') {
    const stream = PinoPretty({ destination: prettyDestination, sync: true, translateTime: 'SYS:standard' });
    return pino(options, stream);
  }
  return pino(options, output === 'json' ? pino.destination(2) : output);
}
