import type { SourceTable } from '../plugin/source-table.js';

/** Where and how one source column lands. */
export interface TargetColumn {
  /** The source column's name. */
  readonly source: string;
  /** The destination column's name (letter-cased, or renamed by a rule). */
  readonly name: string;
  /** The PostgreSQL type, as it is written in DDL (`numeric(12,2)`). */
  readonly type: string;
  readonly nullable: boolean;
  /** Adds `CHECK (col >= 0)` (MySQL unsigned). */
  readonly unsigned: boolean;
  /** The enabled TRANSFORM rule's expression applied to every non-NULL value, if any. */
  readonly transform?: string | null;
}

/** Where and how one source table lands. */
export interface TargetTable {
  readonly source: SourceTable;
  /** The source's fully qualified name, as users write it in `tables` and rules. */
  readonly sourceName: string;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly TargetColumn[];
  /** Destination names of the primary-key columns; empty for tables without a key. */
  readonly primaryKey: readonly string[];
}

/** Whether any column of the table has a TRANSFORM rule (its values then go through SQL, never COPY). */
export const hasTransforms = (table: TargetTable): boolean =>
  table.columns.some((column) => column.transform);
