import { sql as metadata } from './0001-metadata.js';
import { sql as attributeTypes } from './0002-attribute-types.js';
import { sql as stateWarning } from './0003-state-warning.js';
import { sql as tableOwners } from './0004-table-owners.js';
import { sql as auditLog } from './0005-audit-log.js';

/** Versioned SQL, applied in order, each once. Never edit a released migration: add the next. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'metadata', sql: metadata },
  { version: 2, name: 'attribute types', sql: attributeTypes },
  { version: 3, name: 'state warning', sql: stateWarning },
  { version: 4, name: 'table owners', sql: tableOwners },
  { version: 5, name: 'audit log', sql: auditLog },
];
