import SchemaBuilder from '@pothos/core';
import type { GraphQLContext } from './context.js';

/** The Pothos builder. Defines no types: each domain file adds its own. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
}>({ defaultFieldNullability: false });

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
