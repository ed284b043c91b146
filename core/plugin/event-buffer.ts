/**
 * A bounded FIFO between a push-style producer (a driver's 'data' events) and an async-iterating
 * consumer, giving back-pressure: when `size >= capacity` the buffer calls `onFull` (pause the
 * socket) and `push` returns false; once the consumer has drained it below half, `onDrain` is called
 * (resume). Memory is bounded by `capacity` items plus what the producer emits before it pauses.
 *
 * One consumer only. `end()` finishes the iteration after the buffered items; `fail(error)` makes
 * the consumer throw after the buffered items. Breaking out of the loop calls `onReturn`.
 */
export class EventBuffer<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private done = false;
  private error: unknown = undefined;
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly capacity: number,
    private readonly hooks: { onFull?: () => void; onDrain?: () => void; onReturn?: () => void } = {},
  ) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; returns false when the producer should pause. Ignored after end/fail. */
  push(item: T): boolean {
    if (this.done) return false;
    this.items.push(item);
    this.signal();
    if (this.size >= this.capacity) {
      if (!this.paused) {
        this.paused = true;
        this.hooks.onFull?.();
      }
      return false;
    }
    return true;
  }

  end(): void {
    this.done = true;
    this.signal();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.error = error;
    this.done = true;
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        if (this.size > 0) {
          yield this.take();
          continue;
        }
        if (this.done) {
          if (this.error !== undefined) throw this.error;
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      if (!this.done || this.size > 0) this.hooks.onReturn?.();
    }
  }

  private take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused && this.size <= this.capacity / 2) {
      this.paused = false;
      this.hooks.onDrain?.();
    }
    return item;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
