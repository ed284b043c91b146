import type { RedoImage, RedoStatement } from '../../../plugins/oracle/logminer/redo-literal.js';

/** A column as ALL_TAB_COLS describes it. */
export interface ModelColumn {
  readonly name: string;
  /** `NUMBER`, `VARCHAR2`, `DATE`, `TIMESTAMP(6)`, … */
  readonly dataType: string;
  readonly precision?: number;
  readonly scale?: number;
  readonly charLength?: number;
  readonly nullable: boolean;
}

/** A row as a session fetches it: NUMBER and dates as text (the plugin's NLS formats). */
export type ModelRow = Record<string, string | null>;

export interface ModelTable {
  readonly owner: string;
  name: string;
  readonly objectId: number;
  columns: ModelColumn[];
  primaryKey: string[];
  allColumnLogging: boolean;
  /** Committed versions, oldest first: `AS OF SCN s` sees the last one at or before s. */
  readonly versions: { scn: bigint; rows: Map<string, ModelRow> }[];
}

/** One redo record; its SQL_REDO is rendered when mined, against the dictionary of that moment. */
export interface RedoRecord {
  readonly scn: bigint;
  readonly xid: string;
  readonly op: number;
  readonly rowId: string | null;
  readonly sequence: number;
  readonly owner: string | null;
  readonly objectId: number | null;
  /** DML: the statement (rendered later); DDL: the text; a LOB operation (rendered later). */
  readonly dml?: RedoStatement;
  readonly ddl?: string;
  readonly lob?: ModelLobOp;
  readonly time: Date;
}

/** An online or archived redo log. */
export interface ModelLog {
  readonly sequence: number;
  readonly firstScn: bigint;
  nextScn: bigint | null;
  archived: boolean;
  deleted: boolean;
}

/**
 * Redo generated when mined instead of kept: `count` records at SCNs `firstScn …`, record `i`
 * made by `at(i)` (a bulk transaction too large to hold, for memory tests).
 */
export interface BulkRedo {
  readonly firstScn: bigint;
  readonly count: number;
  at(index: number): RedoRecord;
}

/** A LOB operation: the locator selection of a row's LOB column (op 9), or one write into it (op 10). */
export type ModelLobOp =
  | { readonly kind: 'locator'; readonly column: string; readonly binary: boolean; readonly key: RedoImage }
  | {
      readonly kind: 'write';
      readonly binary: boolean;
      /** Text (CLOB) or hex (BLOB). */
      readonly data: string;
      readonly offset: number;
      readonly length: number;
    };
