import { describe, expect, it } from 'vitest';
import { onAbort } from '../../../core/plugin/kit.js';

describe('onAbort', () => {
  it('calls stop at once when the signal is already aborted', () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    onAbort(controller.signal, () => calls++)();
    expect(calls).toBe(1);
  });

  it('calls stop once when the signal aborts later, and never after it is removed', () => {
    const later = new AbortController();
    let calls = 0;
    onAbort(later.signal, () => calls++);
    later.abort();
    later.abort();
    expect(calls).toBe(1);
    const removed = new AbortController();
    onAbort(removed.signal, () => calls++)();
    removed.abort();
    expect(calls).toBe(1);
  });
});
