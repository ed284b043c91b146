import type { Services } from '../core/services.js';

/** What every resolver sees: the services, never the container. */
export interface GraphQLContext {
  readonly services: Services;
}
