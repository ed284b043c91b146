import { canonicalColumnName, canonicalTableName } from '../plugin/object-names.js';
import { qualifiedName, type SourceTable } from '../plugin/source-table.js';
import type { MappingRule } from './mapping-rule.js';
import { datatypeSource } from './mapping-rules.js';

/** One replicated source column, named canonically (`attributes`, or a discovered table). */
export interface KnownColumn {
  readonly table: string;
  readonly column: string;
  /** The source type, lower-case, without size. */
  readonly type: string;
  /** Known for discovered tables only (`attributes` does not record it). */
  readonly autoIncrement?: boolean;
}

/** The columns of discovered tables, as `unmatchedReason` takes them. */
export function knownColumns(tables: readonly SourceTable[]): KnownColumn[] {
  return tables.flatMap((table) =>
    table.columns.map((column) => ({
      table: qualifiedName(table.ref),
      column: column.name,
      type: column.type.toLowerCase(),
      autoIncrement: column.autoIncrement === true,
    })),
  );
}

/**
 * Why a rule names nothing among `columns`, or null when it names a replicated table, column or
 * (type-wide DATATYPE rule) a type some column has — with the rule's auto-increment flag, where
 * the columns say whether they are auto-increment. A source is looked up as written and without a
 * leading `<database>.` (SynchDB's three-part form), as `MappingRules` applies it.
 */
export function unmatchedReason(
  rule: Pick<MappingRule, 'kind' | 'source'>,
  columns: readonly KnownColumn[],
  database: string,
): string | null {
  const naming = { database, hasSchemas: true };
  const tables = new Set(columns.map((column) => column.table));
  const source = rule.source.trim();
  if (rule.kind === 'table') {
    const names = [source, canonicalTableName(source, naming)];
    return names.some((name) => tables.has(name)) ? null : `no replicated table is named ${source}`;
  }
  let name = source;
  if (rule.kind === 'datatype') {
    const written = datatypeSource(source);
    name = written.name;
    if (!name.includes('.')) {
      const ofType = columns.filter((column) => column.type === name);
      if (ofType.length === 0) return `no replicated column has the type ${name}`;
      const flagged = ofType.some(
        (column) => (column.autoIncrement ?? written.autoIncrement) === written.autoIncrement,
      );
      if (flagged) return null;
      return written.autoIncrement
        ? `no replicated ${name} column is auto-increment; without |true the rule applies to the others`
        : `every replicated ${name} column is auto-increment; write the rule as ${name}|true`;
    }
  }
  for (const candidate of new Set([name, canonicalColumnName(name, naming)])) {
    const dot = candidate.lastIndexOf('.');
    if (dot < 0) continue;
    const table = candidate.slice(0, dot);
    const column = candidate.slice(dot + 1);
    if (columns.some((known) => known.table === table && known.column === column)) return null;
  }
  const dot = name.lastIndexOf('.');
  const table = name.slice(0, Math.max(dot, 0));
  const tableKnown = tables.has(table) || tables.has(canonicalTableName(table, naming));
  return tableKnown
    ? `table ${table} has no column ${name.slice(dot + 1)}`
    : `no replicated table is named ${dot < 0 ? name : table}`;
}

/** The enabled rules among `rules` that name nothing among `columns`, each with its reason. */
export function unmatchedRules(
  rules: readonly MappingRule[],
  columns: readonly KnownColumn[],
  database: string,
): { rule: MappingRule; reason: string }[] {
  return rules.flatMap((rule) => {
    if (!rule.enabled) return [];
    const reason = unmatchedReason(rule, columns, database);
    return reason === null ? [] : [{ rule, reason }];
  });
}
