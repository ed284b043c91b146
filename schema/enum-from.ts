import { builder } from './builder.js';

/**
 * A GraphQL enum whose names are the upper-cased internal values (`initial_snapshot` →
 * `INITIAL_SNAPSHOT`); resolvers and services keep working with the lower-case values.
 * `valueDescriptions` describes each value, by its internal value.
 */
export function enumFrom<const T extends string>(
  name: string,
  values: readonly T[],
  description?: string,
  valueDescriptions?: Readonly<Record<T, string>>,
) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(
      values.map((value) => [value.toUpperCase(), { value, description: valueDescriptions?.[value] }]),
    ) as Record<Uppercase<T>, { value: T; description?: string }>,
  });
}
