import { type Client, createClient } from 'graphql-ws';

const TOKEN_KEY = 'tributary.token';

/** The API token, kept for the browser session (sessionStorage), or for good when `remember` is set. */
export function storedToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY) ?? '';
}

export function storeToken(token: string, remember: boolean): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  if (remember) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
  resetSubscriptions();
}

/** A GraphQL error as the API answers it, with its code (UNAUTHENTICATED, SOURCE_ERROR, ...). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs a query or mutation over HTTP (POST /graphql) with the token as a Bearer header. */
export async function request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = storedToken();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!body.data) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}

let client: Client | null = null;

function wsClient(): Client {
  if (client) return client;
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  client = createClient({
    url: url.toString(),
    connectionParams: () => {
      const token = storedToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    lazy: true,
  });
  return client;
}

function resetSubscriptions(): void {
  client?.terminate();
  client = null;
}

/**
 * Subscribes over graphql-ws (the token in connection_init); calls `onData` with every result and
 * `onError` with a failure. Returns the function that ends the subscription.
 */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError: (error: ApiError) => void,
): () => void {
  return wsClient().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        const first = result.errors?.[0];
        if (first) onError(new ApiError(first.message, (first.extensions as { code?: string })?.code));
        else if (result.data) onData(result.data as T);
      },
      error: (error) => onError(new ApiError(describe(error))),
      complete: () => {},
    },
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map((e: { message?: string }) => e.message).join('; ');
  if (error && typeof error === 'object' && 'code' in error) {
    const close = error as { code: number; reason?: string };
    return close.code === 4403 ? 'the API token was refused' : `connection closed (${close.code})`;
  }
  return 'the API cannot be reached';
}
