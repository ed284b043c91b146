import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a token may do: each role may do what the roles before it may. */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Who sent an operation: the role of the token presented and the token's id, never the token. */
export interface Caller {
  readonly role: ApiRole;
  /** `<role>#<n>`, the n-th configured token; null when the server needs no token. */
  readonly tokenId: string | null;
}

/** Whoever calls a server configured without tokens (bound to loopback, or explicitly allowed). */
export const UNAUTHENTICATED_CALLER: Caller = { role: 'admin', tokenId: null };

/** Whether `role` includes what `required` may do. */
export const roleAllows = (role: ApiRole, required: ApiRole): boolean =>
  API_ROLES.indexOf(role) >= API_ROLES.indexOf(required);

/** One configured token: `role:token`, or a bare `token`, which is an admin's (as before roles). */
export function parseTokenEntry(entry: string): { role: ApiRole; token: string } {
  const colon = entry.indexOf(':');
  const role = entry.slice(0, colon).trim().toLowerCase();
  if (colon > 0 && (API_ROLES as readonly string[]).includes(role))
    return { role: role as ApiRole, token: entry.slice(colon + 1).trim() };
  return { role: 'admin', token: entry.trim() };
}

interface Known {
  readonly digest: Buffer;
  readonly caller: Caller;
}

/**
 * The API tokens a server accepts (`TRIBUTARY_API_TOKEN`, `TRIBUTARY_API_TOKENS_FILE`), each with
 * its role. With none configured every request is accepted as an admin's; the bind policy in
 * core/config.ts keeps such a server on loopback unless the operator allows otherwise.
 *
 * A client presents a token as `Authorization: Bearer <token>` on HTTP, and on a graphql-ws
 * connection in the `connection_init` payload as `{ authorization: 'Bearer <token>' }` or
 * `{ token: '<token>' }` (or with the Authorization header of the upgrade request, for clients
 * that can set one). Tokens are compared by their SHA-256 digests in constant time, against every
 * configured token, so neither timing nor which token matched leaks. Tokens are never logged; a
 * caller is known by its role and token id (`viewer#2`).
 */
export class ApiTokens {
  private readonly known: readonly Known[];

  constructor(entries: readonly string[]) {
    this.known = entries.map((entry, index) => {
      const { role, token } = parseTokenEntry(entry);
      return { digest: digest(token), caller: { role, tokenId: `${role}#${index + 1}` } };
    });
  }

  get required(): boolean {
    return this.known.length > 0;
  }

  /** The caller `presented` identifies: anyone when no token is required, else null for no match. */
  identify(presented: string | undefined): Caller | null {
    if (!this.required) return UNAUTHENTICATED_CALLER;
    if (presented === undefined || presented.length === 0) return null;
    const candidate = digest(presented);
    let matched: Caller | null = null;
    for (const { digest: expected, caller } of this.known) {
      const equal = timingSafeEqual(candidate, expected);
      matched = equal ? caller : matched;
    }
    return matched;
  }

  /** True when no token is required, or `presented` is one of the tokens. */
  accepts(presented: string | undefined): boolean {
    return this.identify(presented) !== null;
  }

  /** The caller of an HTTP request, by its `Authorization: Bearer` header. */
  identifyHeaders(headers: IncomingHttpHeaders): Caller | null {
    return this.identify(bearer(headers.authorization));
  }

  /** The caller of a graphql-ws connection: its `connection_init` payload, else the upgrade request's headers. */
  identifyConnection(
    params: Readonly<Record<string, unknown>> | undefined,
    headers: IncomingHttpHeaders,
  ): Caller | null {
    for (const token of [...connectionTokens(params), bearer(headers.authorization)]) {
      const caller = this.identify(token);
      if (caller) return caller;
    }
    return null;
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
