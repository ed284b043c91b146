/** `V$LOGMNR_CONTENTS.OPERATION_CODE` values the buffer acts on. */
export const OperationCode = {
  insert: 1,
  delete: 2,
  update: 3,
  ddl: 5,
  start: 6,
  commit: 7,
  rollback: 36,
} as const;

/**
 * One row of `V$LOGMNR_CONTENTS` as the mining query returns it (NUMBER columns fetched as
 * strings: SCNs exceed 2^53). `sqlRedo` may be one piece of a longer statement when `csf` is true.
 */
export interface LogMinerRow {
  /** Decimal SCN of this redo record; for a COMMIT row, the commit SCN. */
  readonly scn: string;
  /** Transaction id, `RAWTOHEX(XID)`: 16 hex digits. */
  readonly xid: string;
  readonly operationCode: number;
  /** `ROLLBACK = 1`: this row undoes an earlier change of the same transaction with the same ROW_ID. */
  readonly rollback: boolean;
  readonly rowId: string | null;
  /** `CSF = 1`: the next row of the same transaction continues this row's SQL_REDO. */
  readonly csf: boolean;
  readonly sqlRedo: string | null;
  readonly segOwner: string | null;
  readonly tableName: string | null;
  /** `TIMESTAMP` of the change, when fetched. */
  readonly timestamp?: Date;
  readonly info?: string | null;
}

/**
 * A change buffered until its transaction commits: a DML (or DDL, LOB…) row with its SQL_REDO
 * complete. Plain JSON (the time as epoch milliseconds) so it can be written to a spill file.
 */
export interface BufferedChange {
  readonly scn: string;
  readonly operationCode: number;
  readonly rowId: string | null;
  readonly sqlRedo: string;
  readonly schema: string | null;
  readonly table: string | null;
  readonly timestampMs?: number;
  readonly info?: string | null;
}
