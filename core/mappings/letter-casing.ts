import type { LetterCasing } from '../connectors/connector-record.js';

/** Applies the connector's letter casing to a schema, table or column name. */
export function applyCasing(name: string, casing: LetterCasing): string {
  switch (casing) {
    case 'lowercase':
      return name.toLowerCase();
    case 'uppercase':
      return name.toUpperCase();
    case 'asis':
      return name;
  }
}
