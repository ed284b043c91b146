import type { SourceTable, TableRef } from './source-table.js';

/**
 * A value as a plugin hands it to the core, already normalised so the core never branches on the
 * source kind:
 * - exact numerics (decimal, numeric, money, 64-bit and unsigned integers) as decimal strings, never
 *   through a JS float;
 * - `number` only for values that are exact in a double (small integers, real/float columns);
 * - `bigint` allowed for integers;
 * - `boolean` for booleans and bit(1);
 * - instants (timestamptz) as text with their UTC offset and full precision
 *   (`2024-01-02 03:04:05.123456+00`), or `Date` where the source has no more than milliseconds;
 *   timezone-less date/time values as ISO-like strings;
 * - `Buffer` for binary data;
 * - plain objects/arrays for JSON documents;
 * - `null` for SQL NULL.
 * Strings are passed to PostgreSQL as text input for the target column type.
 */
export type SourceValue = string | number | bigint | boolean | Date | Buffer | null | JsonValue;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One row, keyed by source column name. */
export type Row = Readonly<Record<string, SourceValue>>;

/**
 * A row change. `before` holds at least the old primary key for UPDATE and DELETE (the full old
 * row where the source provides it); `after` holds the full new row for INSERT and UPDATE.
 * A column absent from `after` in an UPDATE was not sent by the source (PostgreSQL unchanged TOAST)
 * and must keep its current value at the destination.
 */
export interface RowChange {
  readonly kind: 'change';
  readonly op: 'insert' | 'update' | 'delete';
  readonly table: TableRef;
  readonly before?: Row;
  readonly after?: Row;
  /** Source commit time, when the source reports one. */
  readonly sourceTs?: Date;
  readonly commitOffset: string;
}

/** TRUNCATE of one or more tables. */
export interface TruncateChange {
  readonly kind: 'truncate';
  readonly tables: readonly TableRef[];
  readonly sourceTs?: Date;
  readonly commitOffset: string;
}

/**
 * A table's definition changed. Emitted before the first row that needs the new shape.
 * - `create` / `alter`: `table` is the complete new definition.
 * - `drop`: the table is gone at the source.
 * - `rename`: `from` is the old name, `table` the new definition.
 */
export interface SchemaChange {
  readonly kind: 'schema';
  readonly action: 'create' | 'alter' | 'drop' | 'rename';
  readonly table: SourceTable;
  readonly from?: TableRef;
  /**
   * `alter` only: columns renamed by this change (source names), which the destination renames
   * in place so their values are kept. Any other column missing from `table` was dropped.
   */
  readonly renamedColumns?: readonly { readonly from: string; readonly to: string }[];
  /** The statement as the source logged it, for diagnostics (never executed by the core). */
  readonly statement?: string;
  readonly sourceTs?: Date;
  readonly commitOffset: string;
}

/**
 * Everything before this point has been emitted. Plugins emit one at every source transaction
 * commit (and periodically while idle, so offsets advance on quiet sources). The engine commits
 * the applied rows and this offset in one target transaction, then calls `ack(offset)`.
 */
export interface Checkpoint {
  readonly kind: 'checkpoint';
  readonly offset: string;
  readonly sourceTs?: Date;
}

/**
 * Every change carries `commitOffset`: an offset such that a snapshot whose `startOffset` is at or
 * after it already contains the change, and one whose `startOffset` is before it does not. It never
 * exceeds the offset of the Checkpoint that ends the change's transaction (usually it equals it; a
 * PostgreSQL plugin, which learns the commit LSN at BEGIN, uses commit LSN + 1). The engine uses it
 * to apply each change exactly once to tables copied at different points: a table added later, or
 * one copied again after an interrupted snapshot, skips the changes its copy already holds.
 */
export type DataChange = RowChange | TruncateChange | SchemaChange;

export type SourceEvent = DataChange | Checkpoint;
