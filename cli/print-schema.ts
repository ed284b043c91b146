import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../schema/index.js';

/** The SDL committed as schema/schema.graphql; a test fails when the two differ. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
