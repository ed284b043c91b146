import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ForbiddenError, TributaryError } from '../core/errors.js';
import { type ApiRole, type Caller, roleAllows } from './api-token.js';
import type { GraphQLContext } from './context.js';

/**
 * The least role each mutation needs. Operators run connectors (lifecycle, counters, checks);
 * admins change what is replicated and how: connectors, mapping rules (TRANSFORM expressions run
 * at the target), positions. A mutation not listed here needs an admin.
 */
export const MUTATION_ROLES: Readonly<Record<string, ApiRole>> = {
  startConnector: 'operator',
  stopConnector: 'operator',
  pauseConnector: 'operator',
  resumeConnector: 'operator',
  restartConnector: 'operator',
  resetStats: 'operator',
  addConnector: 'admin',
  updateConnector: 'admin',
  deleteConnector: 'admin',
  addObjectMapping: 'admin',
  disableObjectMapping: 'admin',
  reloadObjectMappings: 'admin',
  setOffset: 'admin',
};

export const requiredRole = (mutation: string): ApiRole => MUTATION_ROLES[mutation] ?? 'admin';

/** Refuses with FORBIDDEN unless the caller's role includes `required`. */
export function requireRole(caller: Caller, required: ApiRole, what: string): void {
  if (roleAllows(caller.role, required)) return;
  throw new ForbiddenError(
    `${what} needs a token with the ${required} role; this one (${caller.tokenId}) has the ${caller.role} role`,
  );
}

const guarded = new WeakSet<GraphQLSchema>();

/**
 * Wraps every mutation's resolver, once per schema, so that on HTTP and WebSocket alike each
 * mutation is checked against the caller's role (FORBIDDEN, nothing done), logged with the role
 * and token id (never the token), and recorded in the audit trail with its outcome: `ok` or the
 * error code. A failure to write the audit entry is logged, and does not change the outcome.
 */
export function guardMutations(schema: GraphQLSchema): void {
  if (guarded.has(schema)) return;
  guarded.add(schema);
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    const guardedResolve: GraphQLFieldResolver<unknown, GraphQLContext> = async (
      root,
      args,
      context,
      info,
    ) => {
      const { caller, services } = context;
      const outcome = async (result: string) => {
        services.logger.info(
          { mutation: field.name, role: caller.role, tokenId: caller.tokenId, outcome: result },
          'mutation',
        );
        await services.audit
          .record({
            role: caller.role,
            tokenId: caller.tokenId,
            mutation: field.name,
            connector: connectorOf(args),
            arguments: args,
            outcome: result,
          })
          .catch((error: unknown) => services.logger.error({ err: error }, 'writing the audit trail failed'));
      };
      try {
        requireRole(caller, requiredRole(field.name), field.name);
        const result = await resolve(root, args, context, info);
        await outcome('ok');
        return result;
      } catch (error) {
        await outcome(error instanceof TributaryError ? error.code : 'INTERNAL_SERVER_ERROR');
        throw error;
      }
    };
    field.resolve = guardedResolve as typeof field.resolve;
  }
}

/** The connector a mutation's arguments name: `name`, `connector` or `input.name`. */
function connectorOf(args: Record<string, unknown>): string | null {
  const input = args.input as { name?: unknown } | undefined;
  const name = args.connector ?? args.name ?? input?.name;
  return typeof name === 'string' ? name : null;
}
