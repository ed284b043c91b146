import type { MemoryDatabase } from './memory-database.js';

const databases = new Map<string, MemoryDatabase>();

/**
 * Makes the database reachable by name from memory-plugin connections in this process. Registering
 * the same instance again is a no-op; another instance under a taken name is refused.
 */
export function registerMemoryDatabase(database: MemoryDatabase): MemoryDatabase {
  const existing = databases.get(database.name);
  if (existing !== undefined && existing !== database) {
    throw new Error(`a memory database named ${database.name} is already registered; drop it first`);
  }
  databases.set(database.name, database);
  return database;
}

export function getMemoryDatabase(name: string): MemoryDatabase | undefined {
  return databases.get(name);
}

/** Unregisters the database; streams reading it end with SourceUnavailableError. Returns whether it existed. */
export function dropMemoryDatabase(name: string): boolean {
  const database = databases.get(name);
  if (database === undefined) return false;
  databases.delete(name);
  database.wakeWaiters();
  return true;
}
