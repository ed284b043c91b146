import type { LetterCasing } from '../connectors/connector-record.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import { qualifiedName, type SourceTable } from '../plugin/source-table.js';
import type { TargetTable } from '../target/target-table.js';
import { applyCasing } from './letter-casing.js';
import { MappingRules } from './mapping-rules.js';

/**
 * Where a source table lands. The one place a target name and type are decided, in SynchDB's
 * order: the plugin's default type → DATATYPE rules → COLUMN rules → TABLE rules → letter casing
 * (which applies only to names no rule gave; a rule's destination is used as written). By default
 * schema = source database name, table = table name (the source schema is dropped). Type names
 * are always lower-case.
 */
export function resolveTargetTable(
  plugin: SourcePlugin,
  table: SourceTable,
  casing: LetterCasing,
  rules: MappingRules = MappingRules.none,
): TargetTable {
  const sourceName = qualifiedName(table.ref);
  const cased = (text: string) => applyCasing(text, casing);
  const columnNames = new Map(
    table.columns.map((column) => [column.name, rules.column(sourceName, column.name) ?? cased(column.name)]),
  );
  const destination = rules.table(sourceName);
  return {
    source: table,
    sourceName,
    schema: destination?.schema ?? cased(table.ref.database),
    name: destination?.name ?? cased(table.ref.name),
    columns: table.columns.map((column) => ({
      source: column.name,
      name: columnNames.get(column.name) ?? column.name,
      type: (rules.datatype(sourceName, column) ?? plugin.defaultTargetType(column)).toLowerCase(),
      nullable: column.nullable,
      unsigned: column.unsigned === true,
      transform: rules.transform(sourceName, column.name) ?? null,
    })),
    primaryKey: table.primaryKey.map((key) => columnNames.get(key) ?? key),
  };
}

/** A connector's tables resolved under its rules, plus the resolver for tables that appear later. */
export interface ResolvedTargets {
  readonly targets: Map<string, TargetTable>;
  readonly resolve: (table: SourceTable) => TargetTable;
}

export function resolveTargets(
  plugin: SourcePlugin,
  tables: readonly SourceTable[],
  casing: LetterCasing,
  rules: MappingRules,
): ResolvedTargets {
  const resolve = (table: SourceTable) => resolveTargetTable(plugin, table, casing, rules);
  const targets = new Map<string, TargetTable>();
  for (const table of tables) {
    const target = resolve(table);
    targets.set(target.sourceName, target);
  }
  return { targets, resolve };
}
