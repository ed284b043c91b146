import type { Row, SourceEvent } from './source-event.js';
import type { SourceTable, TableRef } from './source-table.js';

/** One prerequisite of change capture, as `check()` reports it. */
export interface PrerequisiteCheck {
  /** Short, stable identifier: `wal_level`, `binlog_format`, `replication_privilege`. */
  readonly name: string;
  readonly ok: boolean;
  /** What was found, e.g. `wal_level is replica`. */
  readonly detail: string;
  /** When not ok: the exact statement or setting that fixes it. A passing check may carry one for
   * an optional feature it found off (PostgreSQL DDL capture). */
  readonly hint?: string;
}

/** Which tables to read. `null` selects every table the source user can see in the database/schema. */
export type TableSelection = readonly string[] | null;

export interface ReadTableOptions {
  /** Resume strictly after this primary key (values in key-column order); absent = from the start. */
  readonly afterKey?: readonly unknown[];
  /** Maximum rows per yielded batch. */
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

/**
 * A pinned, consistent view of the source made by `startCapture`. Rows read through it are exactly
 * the source as of `startOffset`: every change after that offset, and none before, is delivered by
 * `readChanges(startOffset)` (`handoff: 'exact'`).
 */
export interface CaptureSession extends AsyncDisposable {
  /** The offset the stream must start from after this snapshot. */
  readonly startOffset: string;
  /**
   * Streams the table's rows in primary-key order (source order for tables without a key), in
   * batches of at most `batchSize`, with back-pressure: the next batch is not read until the
   * consumer asks for it. Memory stays bounded whatever the table size. When `signal` aborts, the
   * iteration throws (an aborted copy must never look complete). `afterKey` holds key values as
   * the source yielded them (or their JSON round-trip); it is not supported for tables without a
   * primary key.
   */
  readTable(table: SourceTable, options: ReadTableOptions): AsyncIterable<readonly Row[]>;

  /**
   * Optional fast path for sources that speak PostgreSQL's COPY: the table's rows as COPY text
   * format (as `COPY ... TO STDOUT` writes it), every column in `table.columns` order, in chunks
   * with back-pressure. The engine writes the chunks straight into `COPY ... FROM STDIN` when every
   * target column has the plugin's default type and no transform applies, skipping value decoding.
   * Same snapshot and abort rules as `readTable`; no resume key.
   */
  copyTable?(table: SourceTable, options: { readonly signal: AbortSignal }): AsyncIterable<Buffer>;
}

export interface ReadChangesOptions {
  /** The tables the connector replicates; the plugin may filter at the source. */
  readonly tables: readonly SourceTable[];
  /**
   * The connector's selection (`null`: all tables), so that a plugin that captures DDL can tell
   * whether a table created at the source belongs to the connector. Absent: only `tables`.
   */
  readonly selection?: TableSelection;
  readonly signal: AbortSignal;
}

/**
 * A live session with one source database, made by `SourcePlugin.connect`.
 *
 * Concurrency: the engine calls at most one method at a time, except `ack`, which may be called
 * while a `readChanges` iteration is in progress. Every method may be cancelled through the
 * signal it was given; `close()` releases every socket and timer promptly and is idempotent.
 */
export interface SourceConnection extends AsyncDisposable {
  /**
   * Checks every prerequisite of change capture for `tables` (the tables the connector replicates;
   * when absent, whatever can be checked without them). The engine calls it on every start right
   * after `discover`, with the discovered tables: a per-table prerequisite (replica identity, CDC
   * enabled on the table, supplemental logging) names the table that misses it, with the fix in
   * `hint`, and must never blame a table that is not in `tables`. When `discover` fails, the engine
   * calls it without tables to explain why. Never throws for a failed check — an unreachable source
   * included — it reports it.
   */
  check(tables?: readonly SourceTable[]): Promise<PrerequisiteCheck[]>;

  /** Lists the selected tables with their columns and primary keys. Unknown names are omitted. */
  discover(selection: TableSelection): Promise<SourceTable[]>;

  /**
   * Optional. The source's own estimate of each table's row count, one entry per table in the
   * order given, from its statistics (PostgreSQL `pg_class.reltuples`, MySQL
   * `information_schema.TABLES.TABLE_ROWS`): catalog reads only, never a scan or `COUNT(*)`. An
   * entry is `null` where the source has no estimate (a table never analysed, a table gone). The
   * engine calls it before `startCapture` and uses the numbers only to show snapshot progress (a
   * total and an ETA): they may be far off, and a failure leaves the total unknown — it never
   * fails a snapshot.
   */
  estimateRows?(tables: readonly SourceTable[]): Promise<readonly (number | null)[]>;

  /**
   * Creates whatever the capture needs at the source (slot, publication) if missing, pins a
   * consistent snapshot and returns it with the offset the stream starts from. The engine records
   * that offset before copying any row. It may be called again while the capture exists (tables
   * added later, a snapshot redone): the new session pins a newer snapshot without moving the
   * capture's own position, which stays where `ack` left it. Throws SourceUnavailableError when
   * the source cannot be used; the engine calls `check()` first and reports failed prerequisites.
   */
  startCapture(tables: readonly SourceTable[]): Promise<CaptureSession>;

  /**
   * Streams events strictly after `from`, in source commit order. Each source transaction ends
   * with a `Checkpoint`; a checkpoint's offset is greater than every earlier one. The iterable has
   * back-pressure: the plugin stops reading from the source while the consumer is busy.
   * Events between two checkpoints may be delivered again after a restart from the first one.
   * Errors surface from the iteration, not from the call. The iteration throws `HistoryLostError`
   * when the source no longer holds everything after `from` (slot dropped, binlog purged, or `from`
   * is before what the slot has confirmed) — it never silently starts later. It may deliver events
   * of tables outside `options.tables`; the engine ignores them. Ends when `signal` aborts.
   */
  readChanges(from: string, options: ReadChangesOptions): AsyncIterable<SourceEvent>;

  /**
   * Tells the source that everything up to and including `offset` is durably applied, so it may
   * release history. Called only after the target commit. Never called with a smaller offset than
   * before.
   */
  ack(offset: string): Promise<void>;

  /**
   * Optional. A warning about the capture's health that the user should act on before it turns
   * into an error (e.g. a PostgreSQL slot retaining more WAL than the configured threshold), or
   * null when all is well. Called now and then while streaming; must be cheap and never throw for
   * a warning's sake (a failure to check is logged and ignored).
   */
  health?(): Promise<string | null>;

  /**
   * Optional. How many bytes of source history lie between the source's current position and the
   * last acknowledged offset (e.g. PostgreSQL: WAL the slot has not confirmed), or null when it
   * cannot tell. Called now and then while streaming, beside `health`, for the metrics; must be cheap.
   */
  positionLagBytes?(): Promise<number | null>;

  /**
   * Removes what `startCapture` created at the source (slots, publications; see the plugin's
   * `captureArtifacts`). Idempotent: nothing created (a connector never started) is not an error.
   * Throws SourceUnavailableError when the source refuses.
   */
  dropCapture(): Promise<void>;

  close(): Promise<void>;
}

export type { Row, TableRef };
