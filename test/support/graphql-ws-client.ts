import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T> extends AsyncDisposable {
  /** Resolves with the next `count` payloads (data or errors), in order. */
  take(
    count: number,
  ): Promise<{ data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[]>;
}

/** A graphql-ws client on the server's /graphql WebSocket, as a browser or app would use it. */
export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and buffers everything the server sends, errors included. */
export function subscribe<T>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Subscription<T> {
  const iterator = client.iterate<T>({ query, variables });
  return {
    async take(count) {
      const results: Awaited<ReturnType<Subscription<T>['take']>> = [];
      while (results.length < count) {
        try {
          const next = await iterator.next();
          if (next.done) break;
          results.push(next.value as (typeof results)[number]);
        } catch (error) {
          const errors = Array.isArray(error) ? error : [error];
          results.push({ errors });
          break;
        }
      }
      return results;
    },
    async [Symbol.asyncDispose]() {
      await iterator.return?.();
    },
  };
}
