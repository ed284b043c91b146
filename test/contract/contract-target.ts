import type { Row, SourcePlugin, TableRef } from '../../core/plugin/index.js';

/**
 * The column types every contract source can create. Each ContractSource picks its own concrete
 * type (`decimal` might be `numeric(12,2)` or `decimal(12,2)`); values always have two decimals.
 */
export type ContractColumnType = 'integer' | 'text' | 'decimal' | 'boolean' | 'timestamp';

export interface ContractColumn {
  readonly name: string;
  readonly type: ContractColumnType;
}

/** One row statement inside `ContractSource.transaction`. */
export type ContractStatement =
  | { readonly op: 'insert'; readonly table: TableRef; readonly rows: readonly Row[] }
  | { readonly op: 'update'; readonly table: TableRef; readonly key: Row; readonly values: Row }
  | { readonly op: 'delete'; readonly table: TableRef; readonly key: Row };

/**
 * A plugin-neutral handle on the real source behind a ContractTarget, with which the suite makes
 * tables and commits changes. Every method commits before it resolves; every call but
 * `transaction` is one source transaction.
 *
 * Values are given in their SourceValue form: `integer` as a number, `text` as a string, `decimal`
 * as a decimal string (`'12.50'`), `boolean` as a boolean, `timestamp` as `'YYYY-MM-DD HH:MM:SS'`.
 * Keys (`key`) name every primary-key column.
 */
export interface ContractSource extends AsyncDisposable {
  /**
   * Creates a table; key columns are NOT NULL, the others nullable. Returns the table's name as
   * `discover()` reports it, so the suite can select it with `qualifiedName(ref)`.
   */
  createTable(
    name: string,
    columns: readonly ContractColumn[],
    primaryKey: readonly string[],
  ): Promise<TableRef>;
  insert(table: TableRef, rows: readonly Row[]): Promise<void>;
  update(table: TableRef, key: Row, values: Row): Promise<void>;
  delete(table: TableRef, key: Row): Promise<void>;
  /** Commits all statements, in order, as one source transaction. */
  transaction(statements: readonly ContractStatement[]): Promise<void>;
  /** Adds a nullable column at the end of the table. */
  addColumn(table: TableRef, column: ContractColumn): Promise<void>;
  truncate(table: TableRef): Promise<void>;
  /** Removes everything the setup made: tables, schemas, databases, and capture objects left behind. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** What `setup` gives the suite for one test: a fresh, empty source and the plugin that reads it. */
export interface ContractTarget {
  readonly plugin: SourcePlugin;
  /** Settings reaching the fresh source, as a user enters them (the suite parses them with `configSchema`). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly source: ContractSource;
}

export interface ContractOptions {
  /**
   * Whether `dropCapture` deletes the history the connector was reading (a replication slot), so
   * that `readChanges` afterwards throws HistoryLostError. False for sources whose history outlives
   * the capture (a MySQL binlog). Default true.
   */
  readonly dropCaptureLosesHistory?: boolean;
  /**
   * Whether the source can TRUNCATE a captured table and streams it as a TruncateChange. False for
   * sources whose change tables refuse TRUNCATE (SQL Server CDC): the truncate test is not
   * registered. Default true.
   */
  readonly truncate?: boolean;
}
