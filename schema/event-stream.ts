import { EventBuffer } from '../core/plugin/event-buffer.js';

const SUBSCRIBER_CAPACITY = 10_000;

/**
 * Turns a listener registration into an async iterable for a subscription. A subscriber that
 * falls `capacity` events behind is ended with an error rather than buffered without bound.
 */
export function eventStream<T>(
  listen: (push: (item: T) => void) => () => void,
  capacity = SUBSCRIBER_CAPACITY,
): AsyncIterable<T> {
  let unsubscribe: () => void = () => undefined;
  const buffer: EventBuffer<T> = new EventBuffer<T>(capacity, {
    onFull: () => {
      unsubscribe();
      buffer.fail(new Error(`subscriber fell more than ${capacity} events behind; subscribe again`));
    },
    onReturn: () => unsubscribe(),
  });
  unsubscribe = listen((item) => buffer.push(item));
  return buffer;
}
