/**
 * Every statement the Oracle plugin sends, named, so that the LogMiner model in the tests can
 * recognise each one and a reviewer can read them in one place. Binds are named (`:owner`).
 */

/** Run on every session: text formats the converters read, UTC, `.` as the decimal point. */
export const SESSION_SETUP = [
  `ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS'`,
  `ALTER SESSION SET NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9'`,
  `ALTER SESSION SET NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'`,
  `ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,'`,
  `ALTER SESSION SET TIME_ZONE = 'UTC'`,
] as const;

/** Moves a catalog or snapshot session into the PDB holding the tables. */
export const setContainer = (pdb: string) => `ALTER SESSION SET CONTAINER = "${pdb.replaceAll('"', '""')}"`;

export const DATABASE_STATE = `SELECT LOG_MODE, SUPPLEMENTAL_LOG_DATA_MIN, SUPPLEMENTAL_LOG_DATA_ALL, CDB, CURRENT_SCN FROM V$DATABASE`;

export const CURRENT_SCN = `SELECT CURRENT_SCN FROM V$DATABASE`;

/** The flashback SCN and the start SCN of every transaction open at it, in one read. */
export const SCN_AND_OPEN_TRANSACTIONS = `SELECT d.CURRENT_SCN, t.START_SCN FROM V$DATABASE d LEFT JOIN V$TRANSACTION t ON 1 = 1`;

export const SESSION_PRIVILEGES = `SELECT PRIVILEGE FROM SESSION_PRIVS`;
export const SESSION_ROLES = `SELECT ROLE FROM SESSION_ROLES`;
/** Object grants on the views mining reads (`V_$…`) and on DBMS_LOGMNR. */
export const OBJECT_GRANTS = `SELECT TABLE_NAME, PRIVILEGE FROM USER_TAB_PRIVS WHERE OWNER = 'SYS'`;

/** Tables with ALL COLUMNS supplemental logging, among `:owner`'s. */
export const ALL_COLUMN_LOGGING = `SELECT TABLE_NAME FROM ALL_LOG_GROUPS WHERE OWNER = :owner AND LOG_GROUP_TYPE = 'ALL COLUMN LOGGING'`;

export const LIST_TABLES = `SELECT TABLE_NAME FROM ALL_TABLES WHERE OWNER = :owner AND NESTED = 'NO' AND SECONDARY = 'N' ORDER BY TABLE_NAME`;

export const TABLE_COLUMNS = `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_ID, DATA_TYPE, CHAR_LENGTH, CHAR_USED, DATA_PRECISION, DATA_SCALE, NULLABLE, IDENTITY_COLUMN FROM ALL_TAB_COLS WHERE OWNER = :owner AND HIDDEN_COLUMN = 'NO' ORDER BY TABLE_NAME, COLUMN_ID`;

export const PRIMARY_KEYS = `SELECT cc.TABLE_NAME, cc.COLUMN_NAME FROM ALL_CONSTRAINTS c JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME WHERE c.OWNER = :owner AND c.CONSTRAINT_TYPE = 'P' ORDER BY cc.TABLE_NAME, cc.POSITION`;

/** Redo logs holding SCN `:scn` and later: archived (current incarnation) then online. */
export const LOG_FILES = `SELECT NAME, SEQUENCE#, FIRST_CHANGE#, NEXT_CHANGE#, 'ARCHIVED' AS KIND FROM V$ARCHIVED_LOG WHERE NEXT_CHANGE# > :scn AND STANDBY_DEST = 'NO' AND DELETED = 'NO' AND RESETLOGS_ID = (SELECT RESETLOGS_ID FROM V$DATABASE_INCARNATION WHERE STATUS = 'CURRENT') UNION ALL SELECT f.MEMBER, l.SEQUENCE#, l.FIRST_CHANGE#, l.NEXT_CHANGE#, 'ONLINE' FROM V$LOG l JOIN V$LOGFILE f ON f.GROUP# = l.GROUP# WHERE l.STATUS IN ('CURRENT', 'ACTIVE', 'INACTIVE') AND l.ARCHIVED = 'NO' ORDER BY 2`;

export const ADD_LOGFILE = `BEGIN DBMS_LOGMNR.ADD_LOGFILE(LOGFILENAME => :name, OPTIONS => DBMS_LOGMNR.ADDFILE); END;`;

export const START_LOGMNR = `BEGIN DBMS_LOGMNR.START_LOGMNR(STARTSCN => :startScn, ENDSCN => :endScn, OPTIONS => DBMS_LOGMNR.DICT_FROM_ONLINE_CATALOG + DBMS_LOGMNR.NO_ROWID_IN_STMT); END;`;

export const END_LOGMNR = `BEGIN DBMS_LOGMNR.END_LOGMNR; END;`;

/**
 * The mined rows of one window, in SCN order. DML of `:owner` plus every transaction boundary
 * (START, COMMIT, ROLLBACK) and DDL; `"UNKNOWN"` owners are kept so a dictionary mismatch is seen.
 */
export const MINED_ROWS = `SELECT SCN, RAWTOHEX(XID) AS XID, OPERATION_CODE, ROLLBACK, ROW_ID, CSF, SQL_REDO, SEG_OWNER, TABLE_NAME, TIMESTAMP, INFO FROM V$LOGMNR_CONTENTS WHERE (OPERATION_CODE IN (6, 7, 36) OR SEG_OWNER IN (:owner, 'UNKNOWN') OR (OPERATION_CODE = 5 AND SEG_OWNER = :owner)) ORDER BY SCN, RS_ID, SSN`;

/** Quoted `"OWNER"."TABLE"`. */
export function quotedTable(owner: string, table: string): string {
  return `${quoteIdent(owner)}.${quoteIdent(table)}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A keyset page of a table as it was at SCN `:scn`: the columns in order, the primary key after
 * `afterKey` expanded by hand (Oracle has no row-value `>`), `FETCH FIRST :limit ROWS ONLY`.
 */
export function snapshotPage(
  owner: string,
  table: string,
  columns: readonly string[],
  key: readonly string[],
  afterKey: boolean,
): string {
  const select = `SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quotedTable(owner, table)} AS OF SCN :scn`;
  const where = afterKey ? ` WHERE ${keysetCondition(key)}` : '';
  const order = key.length > 0 ? ` ORDER BY ${key.map(quoteIdent).join(', ')}` : '';
  const limit = key.length > 0 ? ' FETCH FIRST :limit ROWS ONLY' : '';
  return `${select}${where}${order}${limit}`;
}

/** `(a > :k0) OR (a = :k0 AND b > :k1) …` */
function keysetCondition(key: readonly string[]): string {
  return key
    .map((_, depth) =>
      key
        .slice(0, depth + 1)
        .map((column, index) => `${quoteIdent(column)} ${index === depth ? '>' : '='} :k${index}`)
        .join(' AND '),
    )
    .map((clause) => `(${clause})`)
    .join(' OR ');
}

/**
 * The redo flush table (Debezium's LOG_MINING_FLUSH): a one-row table in the connector user's
 * own schema. Committing an update to it makes LGWR write every redo record up to that commit,
 * so a mining window that ends at an SCN read before the update holds every commit up to it.
 */
export const flushTableName = (connectorName: string) =>
  `TRIBUTARY_FLUSH_${connectorName.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`.slice(0, 128);
export const createFlushTable = (owner: string, table: string) =>
  `CREATE TABLE ${quotedTable(owner, table)} (LAST_SCN NUMBER(20))`;
export const seedFlushTable = (owner: string, table: string) =>
  `INSERT INTO ${quotedTable(owner, table)} (LAST_SCN) SELECT 0 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ${quotedTable(owner, table)})`;
export const flushRedo = (owner: string, table: string) =>
  `UPDATE ${quotedTable(owner, table)} SET LAST_SCN = :scn`;
export const dropFlushTable = (owner: string, table: string) =>
  `DROP TABLE ${quotedTable(owner, table)} PURGE`;
