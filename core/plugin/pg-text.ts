import type { SourceValue } from './source-event.js';

/**
 * A source value as PostgreSQL text input for its target column (null stays null). Values are
 * already normalised by the plugin: strings are passed as they are, exact numbers arrive as
 * strings, binary as Buffer (written in bytea hex form), JSON documents as objects.
 */
export function toPgText(value: SourceValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
      return JSON.stringify(value);
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;

/**
 * One field of PostgreSQL's COPY text format (`\N` for null, backslash, newline, carriage return
 * and tab escaped). Numbers and booleans never need escaping; strings are scanned once and copied
 * only when they hold a character to escape.
 */
export function toCopyField(value: SourceValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'string':
      return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (char) => COPY_ESCAPES[char] ?? char) : value;
    default:
      // bytea's `\x` prefix is itself a COPY escape, so its backslash is doubled.
      if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
      return (toPgText(value) ?? '').replace(ESCAPED, (char) => COPY_ESCAPES[char] ?? char);
  }
}
