import { CliError, EXIT } from './cli-error.js';

export interface ServerAddress {
  readonly url: string;
  readonly token?: string;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Sends one operation to a running server; a GraphQL error becomes a CliError carrying its code. */
export async function graphql<T>(
  server: ServerAddress,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    const reason =
      errorCode(error) ?? ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    throw new CliError(
      `cannot reach the Tributary server at ${server.url} (${reason}); is it running? Set --url or TRIBUTARY_URL`,
      EXIT.unreachable,
    );
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new CliError(
      `the server at ${server.url} answered HTTP ${response.status} without a GraphQL response`,
      EXIT.unreachable,
    );
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'ERROR';
    throw new CliError(`${code}: ${first.message}`, exitCodeOf(code));
  }
  if (body.data === undefined || body.data === null) {
    throw new CliError(
      `the server at ${server.url} answered HTTP ${response.status} with no data`,
      EXIT.refused,
    );
  }
  return body.data;
}

/** The exit code for a server error code: NOT_FOUND and INVALID_STATE have their own, the rest are refusals. */
export function exitCodeOf(code: string): number {
  if (code === 'NOT_FOUND') return EXIT.notFound;
  if (code === 'INVALID_STATE') return EXIT.invalidState;
  return EXIT.refused;
}

/** The first system error code (ECONNREFUSED, ENOTFOUND...) in an error's cause chain. */
function errorCode(error: unknown): string | undefined {
  for (
    let current = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
    current;
  ) {
    if (typeof current.code === 'string' && /^E[A-Z]+$/.test(current.code)) return current.code;
    current = (current.cause ?? current.errors?.[0]) as typeof current | undefined;
  }
  return undefined;
}
