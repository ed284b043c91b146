import net from 'node:net';

/** A fault the proxy can inject. */
export type ProxyMode = 'open' | 'cut' | 'stalled';

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
}

/**
 * A TCP proxy on 127.0.0.1 and a free port forwarding to `host:port`, for network faults between
 * Tributary and a server: `cut()` resets every live connection and resets new ones at once,
 * `stall()` keeps connections open but stops forwarding bytes (new ones are accepted and held),
 * `restore()` forwards again. Disposing closes the listener and every connection.
 */
export class TcpProxy implements AsyncDisposable {
  private mode: ProxyMode = 'open';
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly target: { readonly host: string; readonly port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(host: string, port: number): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port');
    return new TcpProxy(server, address.port, { host, port });
  }

  readonly host = '127.0.0.1';

  /** Live proxied connections. */
  get connections(): number {
    return this.pairs.size;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = this.host;
    proxied.port = String(this.port);
    return proxied.toString();
  }

  /** Resets every live connection; new connections are reset as soon as they are accepted. */
  cut(): void {
    this.mode = 'cut';
    for (const pair of this.pairs) this.drop(pair);
  }

  /** Keeps connections open but forwards no byte either way until `restore()`. */
  stall(): void {
    this.mode = 'stalled';
    for (const pair of this.pairs) this.pause(pair);
  }

  /** Forwards again (held connections resume; after a cut, new connections get through). */
  restore(): void {
    this.mode = 'open';
    for (const pair of this.pairs) this.resume(pair);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const close = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.on('error', close);
      socket.on('close', close);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.mode === 'stalled') this.pause(pair);
  }

  private pause({ client, upstream }: Pair): void {
    client.pause();
    upstream.pause();
  }

  private resume({ client, upstream }: Pair): void {
    client.resume();
    upstream.resume();
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream.resetAndDestroy();
  }
}
