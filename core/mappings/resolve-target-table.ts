import type { LetterCasing } from '../connectors/connector-record.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import { qualifiedName, type SourceTable } from '../plugin/source-table.js';
import type { TargetTable } from '../target/target-table.js';
import { applyCasing } from './letter-casing.js';

/**
 * Where a source table lands, by SynchDB's defaults: schema = source database name, table =
 * table name (the source schema is dropped), columns with the plugin's default types, all
 * letter-cased; type names always lower-case.
 */
export function resolveTargetTable(
  plugin: SourcePlugin,
  table: SourceTable,
  casing: LetterCasing,
): TargetTable {
  const name = (text: string) => applyCasing(text, casing);
  const columnNames = new Map(table.columns.map((column) => [column.name, name(column.name)]));
  return {
    source: table,
    sourceName: qualifiedName(table.ref),
    schema: name(table.ref.database),
    name: name(table.ref.name),
    columns: table.columns.map((column) => ({
      source: column.name,
      name: columnNames.get(column.name) ?? column.name,
      type: plugin.defaultTargetType(column).toLowerCase(),
      nullable: column.nullable,
      unsigned: column.unsigned === true,
    })),
    primaryKey: table.primaryKey.map((key) => columnNames.get(key) ?? key),
  };
}
