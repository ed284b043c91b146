/**
 * Calls `stop` once when `signal` aborts — at once when it is already aborted (a listener added to
 * an aborted signal never fires). Returns the function that removes the listener; call it in a
 * `finally`. Every place that reacts to a stop signal uses this instead of `addEventListener`.
 */
export function onAbort(signal: AbortSignal, stop: () => void): () => void {
  if (signal.aborted) {
    stop();
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}
