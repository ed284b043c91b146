import { canonicalColumnName, canonicalTableName, type SourceNaming } from '../plugin/object-names.js';
import type { SourceColumn } from '../plugin/source-table.js';
import { MAX_TRANSFORM_LENGTH } from '../target/transform-expression.js';
import type { MappingRule } from './mapping-rule.js';

/** A destination table named by a TABLE rule: `schema.table`, or `table` meaning `public.table`. */
export interface TableDestination {
  readonly schema: string;
  readonly name: string;
}

/**
 * A connector's enabled rules, looked up the way SynchDB looks them up
 * (docs/synchdb-compatibility.md §4.2): sources are matched exactly as the source spells them, in any of the
 * accepted name forms (`schema.table` or SynchDB's `database.schema.table` where the source has
 * schemas; see `core/plugin/object-names.ts`); destinations are used verbatim (no letter casing),
 * except type names, which are always lower-cased.
 *
 * DATATYPE rules: the source is a column (`db.table.col`, `schema.table.col` or
 * `db.schema.table.col`) or a type name for every column of that type (matched lower-cased). A
 * column rule applies to its column whatever its auto-increment flag (a `|true`/`|false` on it is
 * ignored). A type-wide rule may end in `|true` / `|false` for the auto-increment flag (default
 * false: a type-wide rule for auto-increment columns must say `|true`).
 * The destination is a PostgreSQL type, optionally `|N`: `|0` no size, `|-1` or nothing keeps the
 * source size, `|N` forces size N.
 */
export class MappingRules {
  private readonly tables = new Map<string, string>();
  private readonly columns = new Map<string, string>();
  /** Column-specific DATATYPE rules by canonical column name. */
  private readonly columnTypes = new Map<string, string>();
  /** Type-wide DATATYPE rules by `type|autoIncrement`. */
  private readonly datatypes = new Map<string, string>();
  private readonly transforms = new Map<string, string>();

  /** @param naming the connector's source naming; without it sources must be canonical. */
  constructor(rules: readonly MappingRule[], naming?: SourceNaming) {
    const table = (name: string) => (naming ? canonicalTableName(name, naming) : name.trim());
    const column = (name: string) => (naming ? canonicalColumnName(name, naming) : name.trim());
    for (const rule of rules) {
      if (!rule.enabled) continue;
      if (rule.kind === 'table') this.tables.set(table(rule.source), rule.destination);
      else if (rule.kind === 'column') this.columns.set(column(rule.source), rule.destination);
      else if (rule.kind === 'transform') this.transforms.set(column(rule.source), rule.destination);
      else {
        const { name, autoIncrement } = datatypeSource(rule.source);
        if (name.includes('.')) this.columnTypes.set(column(name), rule.destination);
        else this.datatypes.set(`${name}|${autoIncrement}`, rule.destination);
      }
    }
  }

  static readonly none = new MappingRules([]);

  /** Where a table lands by a TABLE rule, or undefined for the default naming. */
  table(sourceTable: string): TableDestination | undefined {
    const destination = this.tables.get(sourceTable);
    return destination === undefined ? undefined : parseTableDestination(destination);
  }

  /** A column's name by a COLUMN rule, or undefined for the default naming. */
  column(sourceTable: string, column: string): string | undefined {
    return this.columns.get(`${sourceTable}.${column}`);
  }

  /** A column's TRANSFORM expression, or undefined when its values land as they are. */
  transform(sourceTable: string, column: string): string | undefined {
    return this.transforms.get(`${sourceTable}.${column}`);
  }

  /**
   * A column's type by a DATATYPE rule (a column rule before a type rule), with the size rule
   * applied to the column's source size; undefined when no rule matches.
   */
  datatype(sourceTable: string, column: SourceColumn): string | undefined {
    const auto = column.autoIncrement === true;
    const rule =
      this.columnTypes.get(`${sourceTable}.${column.name}`) ??
      this.datatypes.get(`${column.type.toLowerCase()}|${auto}`);
    return rule === undefined ? undefined : withSize(rule, column);
  }
}

/** A TABLE rule's destination: `schema.table`, or `table` meaning `public.table`. */
export function parseTableDestination(destination: string): TableDestination {
  const dot = destination.indexOf('.');
  return dot < 0
    ? { schema: 'public', name: destination }
    : { schema: destination.slice(0, dot), name: destination.slice(dot + 1) };
}

/** A DATATYPE rule's source: a column, or a type name (lower-cased), and its auto-increment flag. */
export function datatypeSource(source: string): { name: string; autoIncrement: boolean } {
  const bar = source.lastIndexOf('|');
  const flag =
    bar >= 0
      ? source
          .slice(bar + 1)
          .trim()
          .toLowerCase()
      : 'false';
  const written = (bar >= 0 ? source.slice(0, bar) : source).trim();
  const name = written.includes('.') ? written : written.toLowerCase();
  return { name, autoIncrement: flag === 'true' };
}

/** How many size modifiers a PostgreSQL type takes, for the types that take any. */
const SIZE_MODIFIERS: Record<string, 1 | 2> = {
  numeric: 2,
  decimal: 2,
  varchar: 1,
  'character varying': 1,
  char: 1,
  character: 1,
  bpchar: 1,
  bit: 1,
  varbit: 1,
  'bit varying': 1,
  time: 1,
  timetz: 1,
  timestamp: 1,
  timestamptz: 1,
  interval: 1,
};

/**
 * Applies a destination's `|N` size rule: `type|0` no size, `type|N` size N, `type|-1` or `type`
 * the source column's size — where the type takes one (SynchDB would write `text(12,2)` for a
 * `numeric(12,2)` column mapped to `text`, which PostgreSQL refuses).
 */
function withSize(destination: string, column: SourceColumn): string {
  const bar = destination.lastIndexOf('|');
  const type = (bar >= 0 ? destination.slice(0, bar) : destination).trim().toLowerCase();
  const size = bar >= 0 ? Number(destination.slice(bar + 1).trim()) : -1;
  if (type.includes('(') || size === 0) return type;
  if (size > 0) return `${type}(${size})`;
  const modifiers = SIZE_MODIFIERS[type];
  const length = column.length ?? column.precision ?? null;
  if (!modifiers || !length || length <= 0) return type;
  return modifiers === 2 && column.scale && column.scale > 0
    ? `${type}(${length},${column.scale})`
    : `${type}(${length})`;
}

/**
 * Checks a rule's destination; null when it is well-formed, else what is wrong. (Whether
 * PostgreSQL knows a DATATYPE rule's type is checked against the target database.)
 */
export function destinationProblem(
  kind: MappingRule['kind'],
  source: string,
  destination: string,
): string | null {
  const text = destination.trim();
  if (text.length === 0) return 'destination must not be empty';
  if (kind === 'transform') {
    if (!source.includes('.'))
      return `a TRANSFORM source is a column, written <table>.<column>, not ${JSON.stringify(source)}`;
    if (text.length > MAX_TRANSFORM_LENGTH)
      return `a TRANSFORM expression is at most ${MAX_TRANSFORM_LENGTH} characters`;
  }
  if (kind === 'table') {
    const parts = text.split('.');
    if (parts.length > 2 || parts.some((part) => part.length === 0))
      return `a table destination is schema.table or table (meaning public.table), not ${JSON.stringify(destination)}`;
  }
  if (kind === 'datatype') {
    const bar = text.lastIndexOf('|');
    if (bar >= 0 && !/^-?\d+$/.test(text.slice(bar + 1).trim()))
      return `a datatype destination is type or type|N (N a size, 0 for none, -1 to keep the source's), not ${JSON.stringify(destination)}`;
  }
  return null;
}

/** The type name of a DATATYPE destination without its `|N` size rule. */
export function destinationType(destination: string): string {
  const bar = destination.lastIndexOf('|');
  return (bar >= 0 ? destination.slice(0, bar) : destination).trim().toLowerCase();
}
