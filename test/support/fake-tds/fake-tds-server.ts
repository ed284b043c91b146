import net from 'node:net';
import tls from 'node:tls';
import { serveConnection } from './fake-tds-session.js';
import type { LoginPolicy } from './login-responder.js';
import type { WriteStats } from './message-writer.js';
import type { EncryptionName } from './prelogin.js';
import type { Received } from './received.js';
import type { FakeTdsHandler } from './result-set.js';

/** How the fake answers. */
export interface FakeTdsOptions extends LoginPolicy {
  /** Answers every request except tedious' start-up `SET` batch and transaction-manager requests. */
  readonly handler: FakeTdsHandler;
  /** Certificate and key (PEM text) for TLS; with them the fake answers ENCRYPT_ON by default. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /**
   * The ENCRYPTION byte the fake answers in PRELOGIN: `on`/`required` (TLS inside PRELOGIN, then
   * the whole session encrypted; needs `tls`), `off` or `notSupported` (plain text throughout).
   * Default: `on` with `tls`, `notSupported` without.
   */
  readonly encryption?: EncryptionName;
  /** Forces this packet size instead of the client's request. */
  readonly packetSize?: number;
}

/** A running fake TDS server on 127.0.0.1. */
export interface FakeTds extends AsyncDisposable {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Everything received, in order, across connections. */
  readonly received: readonly Received[];
  /** Back-pressure counters of all replies. */
  readonly stats: Readonly<WriteStats>;
  /** Failures inside the fake (a malformed request, an unencodable value): a test expects none. */
  readonly errors: readonly Error[];
  /** The number of connections accepted so far. */
  readonly connections: () => number;
  /** Destroys every connection (a crash as the client sees it) and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a TDS server on a free loopback port that the real tedious driver (and FreeTDS' `tsql`)
 * can log in to and query; see README.md for what it supports.
 */
export async function startFakeTds(options: FakeTdsOptions): Promise<FakeTds> {
  const encryption = options.encryption ?? (options.tls ? 'on' : 'notSupported');
  if ((encryption === 'on' || encryption === 'required') && !options.tls) {
    throw new Error(`fake TDS: encryption "${encryption}" needs tls: { cert, key }`);
  }
  const secureContext = options.tls
    ? tls.createSecureContext({ cert: options.tls.cert, key: options.tls.key, maxVersion: 'TLSv1.2' })
    : undefined;
  const received: Received[] = [];
  const errors: Error[] = [];
  const stats: WriteStats = { drainWaits: 0, bytesWritten: 0, waitingForDrain: false };
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    connections += 1;
    const session = {
      handler: options.handler,
      encryption,
      secureContext,
      policy: { users: options.users, databases: options.databases },
      packetSize: options.packetSize,
      record: (entry: Received) => received.push(entry),
      reportError: (error: Error) => errors.push(error),
      stats,
    };
    serveConnection(socket, connections, session).catch((error: unknown) => {
      errors.push(error instanceof Error ? error : new Error(String(error)));
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    received,
    stats,
    errors,
    connections: () => connections,
    close,
    [Symbol.asyncDispose]: close,
  };
}
