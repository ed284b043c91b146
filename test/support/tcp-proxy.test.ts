import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from './tcp-proxy.js';

/** Connects through the proxy; resolves with the socket and a reader of everything received. */
async function connect(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  const closed = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.on('close', () => resolve('closed'));
  });
  await Promise.race([new Promise((resolve) => socket.once('connect', resolve)), closed]);
  return { socket, closed, received: () => received };
}

describe('TcpProxy', () => {
  let echo: net.Server;
  let echoPort: number;

  beforeAll(async () => {
    echo = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as net.AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  it('forwards, holds bytes while stalled and delivers them after restore', async () => {
    await using proxy = await TcpProxy.start('127.0.0.1', echoPort);
    const conn = await connect(proxy.port);
    conn.socket.write('one');
    await expect.poll(conn.received).toBe('one');
    proxy.stall();
    conn.socket.write('two');
    await sleep(200);
    expect(conn.received()).toBe('one');
    proxy.restore();
    await expect.poll(conn.received).toBe('onetwo');
    conn.socket.destroy();
  });

  it('resets live connections on cut and refuses new ones until restore', async () => {
    await using proxy = await TcpProxy.start('127.0.0.1', echoPort);
    const live = await connect(proxy.port);
    await expect.poll(() => proxy.connections).toBe(1);
    proxy.cut();
    expect(await live.closed).not.toBe('open');
    const refused = await connect(proxy.port);
    expect(await refused.closed).not.toBe('open');
    expect(refused.received()).toBe('');
    proxy.restore();
    const again = await connect(proxy.port);
    again.socket.write('back');
    await expect.poll(again.received).toBe('back');
    again.socket.destroy();
  });
});
