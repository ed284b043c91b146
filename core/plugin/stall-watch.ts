import { z } from 'zod';
import { SourceUnavailableError } from '../errors.js';

/** The least `stallTimeoutMs` defaults to: a minute, as PostgreSQL's own `wal_sender_timeout`. */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/** What a streaming source's options hold about liveness. */
export interface LivenessOptions {
  /** How often the source is made to send something (a keepalive, a heartbeat event). */
  readonly heartbeatIntervalMs: number;
  /** How long the stream may receive nothing before it counts as stalled; see `stallTimeout`. */
  readonly stallTimeoutMs?: number | undefined;
}

/**
 * The `stallTimeoutMs` option: a whole number of milliseconds, at least 1 000, optional (see
 * `stallTimeout` for the default). Add `refineStallTimeout` to the options object to check it
 * against the heartbeat.
 */
export const stallTimeoutOption = z
  .number({ error: 'stallTimeoutMs must be a number' })
  .int('stallTimeoutMs must be a whole number of milliseconds')
  .min(1_000, 'stallTimeoutMs must be at least 1000')
  .max(3_600_000, 'stallTimeoutMs must be at most 3600000')
  .optional();

/**
 * A check for an options object holding both settings: a stream hears from a healthy source only
 * once per heartbeat, so a stall timeout must span at least two of them.
 */
export function refineStallTimeout(options: LivenessOptions, context: z.RefinementCtx): void {
  const { stallTimeoutMs, heartbeatIntervalMs } = options;
  if (stallTimeoutMs !== undefined && stallTimeoutMs < 2 * heartbeatIntervalMs)
    context.addIssue({
      code: 'custom',
      path: ['stallTimeoutMs'],
      message: `stallTimeoutMs must be at least twice heartbeatIntervalMs (${2 * heartbeatIntervalMs}), since a healthy source sends something only once per heartbeat`,
    });
}

/** `options.stallTimeoutMs`, or the larger of a minute and three heartbeats. */
export function stallTimeout(options: LivenessOptions): number {
  return options.stallTimeoutMs ?? Math.max(DEFAULT_STALL_TIMEOUT_MS, 3 * options.heartbeatIntervalMs);
}

/** The part of a socket the watch uses (a net.Socket or tls.TLSSocket). */
export interface WatchedSocket {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  isPaused(): boolean;
}

/**
 * Detects a stream that has gone silent without closing: a peer or a network path (a proxy, a
 * NAT, a firewall dropping packets) that keeps the TCP connection open but delivers nothing. A
 * streaming source must send something at least once per heartbeat, so `onStall` is called, once,
 * with a SourceUnavailableError (a transient failure: the job reconnects with back-off) when
 * nothing has arrived for `timeoutMs` while the socket was reading. Time the socket spends paused
 * does not count: that is back-pressure from our own consumer, not the network. Returns a
 * function that stops watching.
 */
export function watchForStall(
  socket: WatchedSocket,
  timeoutMs: number,
  onStall: (error: SourceUnavailableError) => void,
): () => void {
  let heardAt = Date.now();
  const heard = () => {
    heardAt = Date.now();
  };
  socket.on('data', heard);
  const timer = setInterval(
    () => {
      if (socket.isPaused()) return heard();
      if (Date.now() - heardAt < timeoutMs) return;
      stop();
      onStall(
        new SourceUnavailableError(
          `nothing received from the source for ${timeoutMs / 1000} s although it should send something every heartbeat: the connection is stalled (options.stallTimeoutMs); reconnecting`,
        ),
      );
    },
    Math.max(100, Math.min(1_000, timeoutMs / 10)),
  );
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    socket.off('data', heard);
  };
  return stop;
}
