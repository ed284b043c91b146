import { sql as metadata } from './0001-metadata.js';

/** Versioned SQL, applied in order, each once. Never edit a released migration: add the next. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'metadata', sql: metadata },
];
