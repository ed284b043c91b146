import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The API tokens a server accepts (`TRIBUTARY_API_TOKEN`). With none configured every request is
 * accepted; the bind policy in core/config.ts keeps such a server on loopback unless the operator
 * allows otherwise.
 *
 * A client presents a token as `Authorization: Bearer <token>` on HTTP, and on a graphql-ws
 * connection in the `connection_init` payload as `{ authorization: 'Bearer <token>' }` or
 * `{ token: '<token>' }` (or with the Authorization header of the upgrade request, for clients
 * that can set one). Tokens are compared by their SHA-256 digests in constant time, against every
 * configured token, so neither timing nor which token matched leaks. Tokens are never logged.
 */
export class ApiTokens {
  private readonly digests: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  get required(): boolean {
    return this.digests.length > 0;
  }

  /** True when no token is required, or `presented` is one of the tokens. */
  accepts(presented: string | undefined): boolean {
    if (!this.required) return true;
    if (presented === undefined || presented.length === 0) return false;
    const candidate = digest(presented);
    let matched = false;
    for (const expected of this.digests) matched = timingSafeEqual(candidate, expected) || matched;
    return matched;
  }

  /** Checks an HTTP request's `Authorization: Bearer` header. */
  acceptsHeaders(headers: IncomingHttpHeaders): boolean {
    return this.accepts(bearer(headers.authorization));
  }

  /** Checks a graphql-ws `connection_init` payload, falling back to the upgrade request's headers. */
  acceptsConnection(
    params: Readonly<Record<string, unknown>> | undefined,
    headers: IncomingHttpHeaders,
  ): boolean {
    const presented = [...connectionTokens(params), bearer(headers.authorization)];
    return presented.some((token) => this.accepts(token));
  }
}

/** The GraphQL error body sent with HTTP 401 when a request lacks a valid token. */
export const UNAUTHENTICATED_BODY = JSON.stringify({
  errors: [
    {
      message:
        'a valid API token is required: send "Authorization: Bearer <token>" (TRIBUTARY_API_TOKEN on the server)',
      extensions: { code: 'UNAUTHENTICATED' },
    },
  ],
});

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** `authorization` (any letter case, as GraphiQL forwards its headers) and `token`. */
function connectionTokens(params: Readonly<Record<string, unknown>> | undefined): (string | undefined)[] {
  return Object.entries(params ?? {}).flatMap(([key, value]) => {
    if (typeof value !== 'string') return [];
    if (key.toLowerCase() === 'authorization') return [bearer(value)];
    return key === 'token' ? [value] : [];
  });
}
