import type { SourceColumn } from '../../core/plugin/index.js';
import { withDigits, withLength } from '../../core/plugin/kit.js';

const SAME_NAME = new Set(['integer', 'bigint', 'text', 'boolean', 'timestamp', 'timestamptz']);

/**
 * The PostgreSQL type for a memory column: the vocabulary maps one to one (`decimal(p,s)` →
 * `numeric(p,s)`, `json` → `jsonb`, `bytes` → `bytea`); an unknown type becomes `text`.
 */
export function defaultTargetType(column: SourceColumn): string {
  if (SAME_NAME.has(column.type)) return column.type;
  switch (column.type) {
    case 'varchar':
      return withLength('varchar', column.length);
    case 'decimal':
      return withDigits('numeric', column, 0);
    case 'json':
      return 'jsonb';
    case 'bytes':
      return 'bytea';
    default:
      return 'text';
  }
}
