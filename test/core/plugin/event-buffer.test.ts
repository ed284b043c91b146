import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../../core/plugin/kit.js';

async function drain<T>(buffer: EventBuffer<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of buffer) items.push(item);
  return items;
}

function counting() {
  const calls = { full: 0, drain: 0, return: 0 };
  const hooks = {
    onFull: () => void calls.full++,
    onDrain: () => void calls.drain++,
    onReturn: () => void calls.return++,
  };
  return { calls, hooks };
}

describe('EventBuffer', () => {
  it('delivers items in the order they were pushed', async () => {
    const buffer = new EventBuffer<number>(10);
    for (const item of [3, 1, 2]) buffer.push(item);
    buffer.end();

    expect(await drain(buffer)).toEqual([3, 1, 2]);
  });

  it('delivers an item pushed while the consumer waits', async () => {
    const buffer = new EventBuffer<string>(10);
    const iterator = buffer[Symbol.asyncIterator]();
    const next = iterator.next();

    buffer.push('late');

    expect(await next).toEqual({ done: false, value: 'late' });
  });

  it('calls onFull once when the size reaches capacity and asks the producer to pause', () => {
    const { calls, hooks } = counting();
    const buffer = new EventBuffer<number>(3, hooks);

    expect([buffer.push(1), buffer.push(2)]).toEqual([true, true]);
    expect(calls.full).toBe(0);
    expect(buffer.push(3)).toBe(false);
    expect(buffer.push(4)).toBe(false);
    expect(calls.full).toBe(1);
    expect(buffer.size).toBe(4);
  });

  it('calls onDrain once the consumer has drained it to half the capacity', async () => {
    const { calls, hooks } = counting();
    const buffer = new EventBuffer<number>(4, hooks);
    for (const item of [1, 2, 3, 4]) buffer.push(item);
    const iterator = buffer[Symbol.asyncIterator]();

    await iterator.next();
    expect(calls.drain).toBe(0);
    await iterator.next();
    expect(calls.drain).toBe(1);
    await iterator.next();
    expect(calls.drain).toBe(1);
    expect(buffer.push(5)).toBe(true);
  });

  it('pauses again after a drain when it fills up again', async () => {
    const { calls, hooks } = counting();
    const buffer = new EventBuffer<number>(2, hooks);
    buffer.push(1);
    buffer.push(2);
    const iterator = buffer[Symbol.asyncIterator]();
    await iterator.next();

    buffer.push(3);

    expect(calls).toMatchObject({ full: 2, drain: 1 });
  });

  it('ends the iteration after the buffered items once ended, and ignores later pushes', async () => {
    const buffer = new EventBuffer<string>(10);
    buffer.push('a');
    buffer.push('b');
    buffer.end();

    expect(buffer.push('c')).toBe(false);
    expect(await drain(buffer)).toEqual(['a', 'b']);
  });

  it('throws the failure after the buffered items', async () => {
    const buffer = new EventBuffer<number>(10);
    const failure = new Error('socket closed');
    buffer.push(1);
    buffer.push(2);
    buffer.fail(failure);
    const seen: number[] = [];

    const consuming = (async () => {
      for await (const item of buffer) seen.push(item);
    })();

    await expect(consuming).rejects.toBe(failure);
    expect(seen).toEqual([1, 2]);
  });

  it('wakes a waiting consumer with the failure', async () => {
    const buffer = new EventBuffer<number>(10);
    const next = buffer[Symbol.asyncIterator]().next();

    buffer.fail(new Error('gone'));

    await expect(next).rejects.toThrow('gone');
  });

  it('ignores a failure after the end', async () => {
    const buffer = new EventBuffer<number>(10);
    buffer.push(1);
    buffer.end();
    buffer.fail(new Error('too late'));

    expect(await drain(buffer)).toEqual([1]);
  });

  it('calls onReturn when the consumer breaks out early', async () => {
    const { calls, hooks } = counting();
    const buffer = new EventBuffer<number>(10, hooks);
    for (const item of [1, 2, 3]) buffer.push(item);

    for await (const item of buffer) {
      expect(item).toBe(1);
      break;
    }

    expect(calls.return).toBe(1);
  });

  it('does not call onReturn when the consumer reads to the end', async () => {
    const { calls, hooks } = counting();
    const buffer = new EventBuffer<number>(10, hooks);
    buffer.push(1);
    buffer.end();

    expect(await drain(buffer)).toEqual([1]);
    expect(calls.return).toBe(0);
  });

  it('keeps order across many items while the consumer keeps up', async () => {
    const buffer = new EventBuffer<number>(8);
    const items = Array.from({ length: 5_000 }, (_, index) => index);
    const consuming = drain(buffer);
    for (const item of items) {
      if (!buffer.push(item)) await new Promise((resolve) => setImmediate(resolve));
    }
    buffer.end();

    expect(await consuming).toEqual(items);
  });

  it('refuses a capacity that is not positive', () => {
    expect(() => new EventBuffer(0)).toThrow(RangeError);
  });
});
