export interface GraphQLResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: { message: string; extensions?: { code?: string }; path?: string[] }[];
  /** The raw body, for asserting what never appears in it. */
  readonly text: string;
}

/** POSTs one GraphQL operation, as any HTTP client would. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, ...(JSON.parse(text) as object) };
}

/** The first error's code, or undefined. */
export const errorCode = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;
