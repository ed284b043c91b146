import type { SourceTable, TableSelection } from '../../core/plugin/index.js';
import { qualifiedName } from '../../core/plugin/kit.js';
import type { MemoryDatabase } from './database/memory-database.js';

/**
 * The selected tables in selection order (every table by name when `selection` is null). Names are
 * qualified as users write them, `database.table`, and matched case-sensitively; unknown names and
 * repeats are omitted.
 */
export function discoverTables(database: MemoryDatabase, selection: TableSelection): SourceTable[] {
  const tables = database.listTables();
  if (selection === null) return tables;
  const byName = new Map(tables.map((table) => [qualifiedName(table.ref), table]));
  return [...new Set(selection)].flatMap((name) => byName.get(name) ?? []);
}
