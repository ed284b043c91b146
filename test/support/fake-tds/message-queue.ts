import type { TdsMessage } from './packet.js';

/** Messages in arrival order for a reader that awaits them one at a time; ends when the socket closes. */
export class MessageQueue {
  private readonly messages: TdsMessage[] = [];
  private waiter: ((message: TdsMessage | undefined) => void) | undefined;
  private closed = false;

  push(message: TdsMessage): void {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(message);
    } else this.messages.push(message);
  }

  close(): void {
    this.closed = true;
    this.waiter?.(undefined);
    this.waiter = undefined;
  }

  /** The next message, or undefined once the connection is gone. */
  next(): Promise<TdsMessage | undefined> {
    const message = this.messages.shift();
    if (message || this.closed) return Promise.resolve(message);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
