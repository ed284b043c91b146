import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * What one request may ask for, so that no single operation can exhaust the server. Generous for
 * the API's real queries (the deepest is about 4 levels), GraphiQL's introspection query included.
 */
export const QUERY_LIMITS = {
  /** Nesting of fields, fragments flattened. */
  depth: 12,
  /** Fields selected after fragment expansion, each alias and each repeated spread counted. */
  cost: 2_000,
  aliases: 30,
  /** Lexical tokens in the document (names, punctuation, literals), checked while parsing. */
  tokens: 10_000,
  /** Bytes in an HTTP request body. */
  bodyBytes: 1_048_576,
} as const;

/**
 * Envelop plugins enforcing QUERY_LIMITS (graphql-armor's). They hook parse and validate, so they
 * apply on HTTP and on graphql-ws alike (the WebSocket path parses and validates through the same
 * envelop). A request over a limit fails before execution with INVALID_INPUT and a message naming
 * the limit.
 *
 * Depth ignores `__schema` subtrees, as the introspection query GraphiQL sends is 15 deep;
 * graphql-js's MaxIntrospectionDepthRule (part of its specified rules) bounds their recursion
 * instead. Cost counts them.
 */
export function useQueryLimits(): Plugin[] {
  const rejection = { propagateOnRejection: false, onReject: [reject] };
  return [
    maxTokensPlugin({ n: QUERY_LIMITS.tokens, ...rejection }),
    maxDepthPlugin({
      n: QUERY_LIMITS.depth,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...rejection,
    }),
    maxAliasesPlugin({ n: QUERY_LIMITS.aliases, allowList: [], ...rejection }),
    costLimitPlugin({
      maxCost: QUERY_LIMITS.cost,
      objectCost: 1,
      scalarCost: 1,
      depthCostFactor: 1,
      flattenFragments: true,
      ignoreIntrospection: false,
      ...rejection,
    }),
  ];
}

/**
 * graphql-armor's errors say "Syntax Error: ..." and carry no code; this reports them as
 * validation errors (or parse errors, while parsing, where there is no validation context).
 */
function reject(context: ValidationContext | null, error: GraphQLError): void {
  const limited = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
    extensions: { code: 'INVALID_INPUT' },
  });
  if (context) context.reportError(limited);
  else throw limited;
}
