import { GraphQLError } from 'graphql';
import { TributaryError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** Codes graphql-js and yoga give request errors (syntax, validation, variables, body size). */
const REQUEST_ERROR_CODES = new Set([
  undefined,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'REQUEST_ENTITY_TOO_LARGE',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * SQLSTATEs of text PostgreSQL cannot store, which only a client's strings cause in a resolver:
 * 22021 (a NUL byte in text) and 22P05 (`\u0000` in jsonb).
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

function isUnstorableText(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && UNSTORABLE_TEXT.has(code);
}

/**
 * graphql-js may be loaded twice (its CommonJS and ESM builds, by different packages), so
 * `instanceof GraphQLError` is unreliable here; recognise it by name.
 */
function asGraphQLError(error: unknown): GraphQLError | null {
  return error instanceof Error && error.name === 'GraphQLError' ? (error as GraphQLError) : null;
}

/**
 * The API's single error boundary. Expected failures (TributaryError) become GraphQL errors with
 * their `extensions.code`; malformed requests get INVALID_INPUT with graphql-js's message (which
 * names the field); anything else is logged and masked as INTERNAL_SERVER_ERROR.
 */
export function toApiError(error: unknown, logger: Logger): GraphQLError {
  const graphQLError = asGraphQLError(error);
  const original = graphQLError ? graphQLError.originalError : error;
  if (original instanceof TributaryError) return rebuild(graphQLError, original.message, original.code);
  if (isUnstorableText(original)) {
    const message = 'a string contains a NUL character (\\u0000), which cannot be stored; remove it';
    return rebuild(graphQLError, message, 'INVALID_INPUT');
  }
  if (graphQLError && (!original || asGraphQLError(original))) {
    const code = asGraphQLError(original)?.extensions?.code ?? graphQLError.extensions?.code;
    if (typeof code === 'string' && !REQUEST_ERROR_CODES.has(code)) return graphQLError;
    return rebuild(graphQLError, graphQLError.message, 'INVALID_INPUT');
  }
  logger.error({ err: original }, 'internal error in a GraphQL operation');
  return rebuild(graphQLError, 'internal error; the server log has the details', 'INTERNAL_SERVER_ERROR');
}

function rebuild(error: GraphQLError | null, message: string, code: string): GraphQLError {
  return new GraphQLError(message, {
    nodes: error?.nodes,
    source: error?.source,
    positions: error?.positions,
    path: error?.path,
    extensions: { ...error?.extensions, code },
  });
}
