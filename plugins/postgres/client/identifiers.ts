import type { TableRef } from '../../../core/plugin/index.js';

/** Quotes an identifier for SQL, whatever it holds (spaces, capitals, quotes). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`. */
export function quoteTable(ref: TableRef): string {
  return ref.schema === null ? quoteIdent(ref.name) : `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}`;
}

/** Quotes a string literal for statements that take no parameters (replication commands, SET). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
