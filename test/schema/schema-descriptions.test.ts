import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GraphQLArgument,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.js';

/** Every type, field, argument and enum value of `type` as `Type.field(arg)`, with its description. */
function elements(type: GraphQLNamedType): [string, string | null | undefined][] {
  const found: [string, string | null | undefined][] = [[type.name, type.description]];
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      found.push([`${type.name}.${field.name}`, field.description]);
      const args: readonly GraphQLArgument[] = 'args' in field ? field.args : [];
      for (const arg of args) found.push([`${type.name}.${field.name}(${arg.name})`, arg.description]);
    }
  }
  if (isEnumType(type)) {
    for (const value of type.getValues()) found.push([`${type.name}.${value.name}`, value.description]);
  }
  return found;
}

/** A file name or path as descriptions would write one (`README.md`, `docs/metrics.md`, `wal.c`). */
const FILE_NAME = /[\w./-]+\.(?:md|ts|js|json|ya?ml|sql|c|h|cpp|go|java|py|rs)\b/g;

const ownTypes = () =>
  Object.values(schema.getTypeMap()).filter(
    (type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type),
  );

describe('schema descriptions', () => {
  it('describes every type, field, argument and enum value', () => {
    const missing = ownTypes()
      .flatMap(elements)
      .filter(([, description]) => !description?.trim())
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('names no file that is not in the repository', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const outside = ownTypes()
      .flatMap(elements)
      .flatMap(([name, description]) =>
        [...(description ?? '').matchAll(FILE_NAME)]
          .map((match) => match[0])
          .filter((file) => !existsSync(path.join(root, file)))
          .map((file) => `${name}: ${file}`),
      );
    expect(outside).toEqual([]);
  });
});
