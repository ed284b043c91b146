import type { Client } from 'graphql-ws';

export interface WsOutcome {
  readonly data?: unknown;
  readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
  /** Set when the server closed the connection instead of answering. */
  readonly close?: { code: number; reason: string };
}

/** Runs one query over graphql-ws and reports its result, its errors, or how the socket was closed. */
export function wsQuery(client: Client, query: string): Promise<WsOutcome> {
  return new Promise((resolve) => {
    let outcome: WsOutcome = {};
    client.subscribe(
      { query },
      {
        next: (result) => {
          outcome = result as WsOutcome;
        },
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error });
          else {
            const { code, reason } = error as { code: number; reason: string };
            resolve({ close: { code, reason } });
          }
        },
        complete: () => resolve(outcome),
      },
    );
  });
}
