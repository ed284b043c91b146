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

builder.queryType({
  description: 'Reads: connectors with their state and stats, source types, checks, the audit log.',
});
builder.mutationType({
  description: 'Changes: connectors and their lifecycle, mapping rules, offsets and stats.',
});
builder.subscriptionType({
  description:
    'Live feeds over the graphql-ws protocol on /graphql: state changes, stats and applied changes.',
});
