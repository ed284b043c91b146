import { Duplex } from 'node:stream';

/**
 * Two in-memory duplex streams joined back to back: what one writes, the other reads. A write
 * completes only when the other side has room, so back-pressure crosses the pair.
 */
export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const waiting: Array<(() => void) | undefined> = [undefined, undefined];
  const make = (self: number) => {
    const other = 1 - self;
    return new Duplex({
      read() {
        const resume = waiting[other];
        waiting[other] = undefined;
        resume?.();
      },
      write(chunk: Buffer, _encoding, callback) {
        if ((sides[other] as Duplex).push(chunk)) callback();
        else waiting[self] = callback;
      },
      final(callback) {
        (sides[other] as Duplex).push(null);
        callback();
      },
    });
  };
  sides.push(make(0), make(1));
  return [sides[0] as Duplex, sides[1] as Duplex];
}
