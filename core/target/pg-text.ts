import type { SourceValue } from '../plugin/source-event.js';

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

/** One field of COPY text format. */
export function toCopyField(value: SourceValue | undefined): string {
  const text = toPgText(value);
  return text === null ? '\\N' : text.replace(/[\\\n\r\t]/g, (char) => COPY_ESCAPES[char] ?? char);
}
