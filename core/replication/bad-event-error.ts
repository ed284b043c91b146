import type { PendingChange } from '../target/apply-changes.js';

/** A change that cannot be applied (missing row, type mismatch, constraint); the error strategy decides. */
export class BadEventError extends Error {
  constructor(
    message: string,
    readonly pending: PendingChange,
  ) {
    super(message);
    this.name = 'BadEventError';
  }
}
