import type { Services } from '../core/services.js';
import type { Caller } from './api-token.js';

/** What every resolver sees: the services, never the container, and who is calling. */
export interface GraphQLContext {
  readonly services: Services;
  /** The presented token's role and id; an admin without id when the server needs no token. */
  readonly caller: Caller;
}
