import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../core/plugin/index.js';
import { stallTimeout, watchForStall } from '../../../core/plugin/kit.js';
import { isTransientError } from '../../../core/replication/transient-error.js';

/** A connected pair of real TCP sockets on 127.0.0.1: `reader` is watched, `writer` is the peer. */
async function socketPair(): Promise<{ reader: net.Socket; writer: net.Socket }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const accepted = once(server, 'connection');
  const reader = net.connect(port, '127.0.0.1');
  const [writer] = (await accepted) as [net.Socket];
  server.close();
  reader.on('data', () => undefined); // the driver's own reader
  return { reader, writer };
}

const open: net.Socket[] = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.destroy();
});

async function watched(timeoutMs: number) {
  const pair = await socketPair();
  open.push(pair.reader, pair.writer);
  const stalls: SourceUnavailableError[] = [];
  const stop = watchForStall(pair.reader, timeoutMs, (error) => stalls.push(error));
  return { ...pair, stalls, stop };
}

describe('watchForStall', () => {
  it('reports a socket that receives nothing for the timeout, once, as a transient failure', async () => {
    const { stalls } = await watched(500);
    await sleep(1_600);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toBeInstanceOf(SourceUnavailableError);
    expect(stalls[0]?.message).toMatch(/nothing received from the source for 0.5 s .* stalled/);
    expect(isTransientError(stalls[0])).toBe(true);
  });

  it('stays quiet while the peer sends something within every timeout', async () => {
    const { writer, stalls } = await watched(500);
    for (let i = 0; i < 8; i++) {
      writer.write('k');
      await sleep(100);
    }
    expect(stalls).toEqual([]);
  });

  it('does not count the time the socket is paused by back-pressure', async () => {
    const { reader, writer, stalls } = await watched(500);
    reader.pause();
    await sleep(1_200);
    expect(stalls).toEqual([]);
    reader.resume();
    writer.write('k');
    await sleep(200);
    expect(stalls).toEqual([]);
    await sleep(1_000);
    expect(stalls).toHaveLength(1);
  });

  it('reports nothing once stopped', async () => {
    const { stalls, stop } = await watched(500);
    stop();
    await sleep(1_000);
    expect(stalls).toEqual([]);
  });
});

describe('stallTimeout', () => {
  it('is the option when given, else the larger of a minute and three heartbeats', () => {
    expect(stallTimeout({ heartbeatIntervalMs: 10_000, stallTimeoutMs: 5_000 })).toBe(5_000);
    expect(stallTimeout({ heartbeatIntervalMs: 10_000 })).toBe(60_000);
    expect(stallTimeout({ heartbeatIntervalMs: 30_000 })).toBe(90_000);
  });
});
