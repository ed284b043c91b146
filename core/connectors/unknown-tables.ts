import type { SourceConnection } from '../plugin/source-connection.js';
import { qualifiedName, type SourceTable } from '../plugin/source-table.js';

/** A name in a connector's `tables` or `snapshotTables` that matches no table it replicates. */
export interface UnknownTable {
  readonly name: string;
  readonly setting: 'tables' | 'snapshotTables';
  /** The closest names of tables that exist at the source (best first, at most three). */
  readonly closest: readonly string[];
  /** `snapshotTables` only: the table exists at the source but is not among the connector's `tables`. */
  readonly notSelected: boolean;
}

/** The connector's selection names tables that do not exist; the message names each one. */
export class UnknownTablesError extends Error {
  constructor(readonly unknown: readonly UnknownTable[]) {
    super(
      `${unknown.map(describeUnknownTable).join('; ')}; ` +
        'fix the names with updateConnector (names are schema.table, or db.table for MySQL, spelled as the source spells them)',
    );
    this.name = 'UnknownTablesError';
  }
}

/** `unknown table public.custmers in tables (did you mean public.customers?)`. */
export function describeUnknownTable(table: UnknownTable): string {
  if (table.notSelected)
    return `snapshotTables names ${table.name}, which is not among the connector's tables`;
  const closest = table.closest.length > 0 ? ` (did you mean ${table.closest.join(' or ')}?)` : '';
  return `unknown table ${table.name} in ${table.setting}${closest}`;
}

/**
 * The names of `tables` and `snapshotTables` that match none of the discovered tables. Only when
 * there are some does it ask the source for every table it can list (`discover(null)`), to find
 * the closest names.
 */
export async function findUnknownTables(
  connection: Pick<SourceConnection, 'discover'>,
  selection: { readonly tables: readonly string[] | null; readonly snapshotTables: readonly string[] | null },
  discovered: readonly SourceTable[],
): Promise<UnknownTable[]> {
  const found = new Set(discovered.map((table) => qualifiedName(table.ref)));
  const missing = (names: readonly string[] | null) => [...new Set(names ?? [])].filter((n) => !found.has(n));
  const missingTables = missing(selection.tables);
  // snapshotTables is a subset of tables: a name missing from both is reported once, for tables
  const missingSnapshot = missing(selection.snapshotTables).filter((name) => !missingTables.includes(name));
  if (missingTables.length === 0 && missingSnapshot.length === 0) return [];
  const existing = (await connection.discover(null)).map((table) => qualifiedName(table.ref));
  const unknown = (name: string, setting: UnknownTable['setting']): UnknownTable => ({
    name,
    setting,
    closest: closestNames(name, existing),
    notSelected: setting === 'snapshotTables' && existing.includes(name),
  });
  return [
    ...missingTables.map((name) => unknown(name, 'tables')),
    ...missingSnapshot.map((name) => unknown(name, 'snapshotTables')),
  ];
}

/** Throws UnknownTablesError when the selection names a table that was not discovered. */
export async function assertTablesExist(
  connection: Pick<SourceConnection, 'discover'>,
  selection: { readonly tables: readonly string[] | null; readonly snapshotTables: readonly string[] | null },
  discovered: readonly SourceTable[],
): Promise<void> {
  const unknown = await findUnknownTables(connection, selection, discovered);
  if (unknown.length > 0) throw new UnknownTablesError(unknown);
}

/**
 * Up to three names at most a third of the table name's length away in edits (at least one;
 * case-insensitive), nearest first.
 */
export function closestNames(name: string, candidates: readonly string[]): string[] {
  const table = name.slice(name.lastIndexOf('.') + 1);
  const limit = Math.max(1, Math.floor(table.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= limit && candidate !== name)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
