/**
 * Every fixed statement the plugin sends, named, each starting with a `/* tributary:<name> *\/`
 * tag so that logs, DBAs and the test model can recognise it. Dynamic statements (a table's
 * snapshot page, a capture instance's change page) are built in `snapshotPageSql` and
 * `changePageSql` and carry tags too.
 */
export const SERVER_INFO = `/* tributary:server-info */ SELECT CAST(SERVERPROPERTY('ProductMajorVersion') AS int) AS major, CAST(SERVERPROPERTY('EngineEdition') AS int) AS edition, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS version, DB_NAME() AS db`;

/** Every user table's columns with type, size, nullability, identity and key ordinal. */
export const DISCOVER_COLUMNS = `/* tributary:discover-columns */ SELECT s.name AS schema_name, t.name AS table_name, c.name AS column_name, c.column_id, TYPE_NAME(c.system_type_id) AS type_name, c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity, CAST(ISNULL(ic.key_ordinal, 0) AS int) AS key_ordinal FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id JOIN sys.columns c ON c.object_id = t.object_id LEFT JOIN sys.indexes i ON i.object_id = t.object_id AND i.is_primary_key = 1 LEFT JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.column_id = c.column_id WHERE t.is_ms_shipped = 0 AND s.name <> N'cdc' ORDER BY s.name, t.name, c.column_id`;

/** The database's CDC and snapshot-isolation settings. */
export const DATABASE_STATE = `/* tributary:database-state */ SELECT CAST(is_cdc_enabled AS int) AS is_cdc_enabled, CAST(snapshot_isolation_state AS int) AS snapshot_isolation_state FROM sys.databases WHERE name = DB_NAME()`;

/** Per user table: tracked by CDC, and whether this login may read it. */
export const TABLE_STATE = `/* tributary:table-state */ SELECT s.name AS schema_name, t.name AS table_name, CAST(t.is_tracked_by_cdc AS int) AS is_tracked_by_cdc, CAST(HAS_PERMS_BY_NAME(QUOTENAME(s.name) + N'.' + QUOTENAME(t.name), N'OBJECT', N'SELECT') AS int) AS can_select FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE t.is_ms_shipped = 0 AND s.name <> N'cdc'`;

/** The highest LSN the capture job has harvested (NULL: it never ran, i.e. SQL Server Agent is stopped). */
export const MAX_LSN = '/* tributary:max-lsn */ SELECT sys.fn_cdc_get_max_lsn() AS max_lsn';

/** The end of the transaction log: every commit so far is at or below it, every later one above. */
export const LOG_END_LSN = '/* tributary:log-end-lsn */ SELECT log_end_lsn FROM sys.dm_db_log_stats(DB_ID())';

/**
 * The capture instances with their source table, first LSN, gating role (and whether this login
 * is in it) and creation time, oldest first.
 */
export const CAPTURE_INSTANCES = `/* tributary:capture-instances */ SELECT ct.capture_instance, OBJECT_SCHEMA_NAME(ct.source_object_id) AS schema_name, OBJECT_NAME(ct.source_object_id) AS table_name, ct.start_lsn, ct.role_name, CAST(CASE WHEN ct.role_name IS NULL THEN 1 ELSE ISNULL(IS_ROLEMEMBER(ct.role_name), 0) END AS int) AS in_role, CONVERT(varchar(27), ct.create_date, 121) AS create_date FROM cdc.change_tables ct ORDER BY ct.create_date, ct.capture_instance`;

/** The captured columns of every capture instance, with the types of their `_CT` columns. */
export const CAPTURED_COLUMNS = `/* tributary:captured-columns */ SELECT ct.capture_instance, c.name AS column_name, c.column_id, TYPE_NAME(c.system_type_id) AS type_name, c.max_length, c.precision, c.scale, c.is_nullable FROM cdc.change_tables ct JOIN sys.columns c ON c.object_id = ct.object_id WHERE c.name NOT LIKE N'[_][_]$%' ORDER BY ct.capture_instance, c.column_id`;

/** The oldest LSN a capture instance still holds (cleanup moves it forward). */
export const MIN_LSN = '/* tributary:min-lsn */ SELECT sys.fn_cdc_get_min_lsn(@instance) AS min_lsn';

/**
 * The time of the newest `cdc.lsn_time_mapping` entry at or below an LSN (what
 * `fn_cdc_map_lsn_to_time` answers); NULL when cleanup removed every entry up to it.
 */
export const LSN_TIME = `/* tributary:lsn-time */ SELECT CONVERT(varchar(27), sys.fn_cdc_map_lsn_to_time(@lsn), 121) AS commit_time`;

/** Pins a snapshot-isolation transaction; the first data read (a table's first row) fixes it. */
export const BEGIN_SNAPSHOT =
  '/* tributary:begin-snapshot */ SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN;';

/** Ends the lock holder's transaction, releasing its table locks. */
export const COMMIT = '/* tributary:commit */ COMMIT';

/** The tag a dynamic statement starts with. */
export const tag = (name: string) => `/* tributary:${name} */`;

/** The capture job's progress: the highest harvested LSN beside the end of the log. */
export const CAPTURE_PROGRESS = `/* tributary:capture-progress */ SELECT sys.fn_cdc_get_max_lsn() AS max_lsn, (SELECT log_end_lsn FROM sys.dm_db_log_stats(DB_ID())) AS log_end_lsn`;

/**
 * The cleanup job's retention (minutes) and how old the changes at an LSN are (seconds), from
 * `msdb.dbo.cdc_jobs` (needs read access to msdb) and `cdc.lsn_time_mapping`.
 */
export const POSITION_AGE = `/* tributary:position-age */ SELECT j.retention AS retention_minutes, DATEDIFF(second, sys.fn_cdc_map_lsn_to_time(@lsn), SYSDATETIME()) AS age_seconds FROM msdb.dbo.cdc_jobs j WHERE j.database_id = DB_ID() AND j.job_type = N'cleanup'`;

/** Every user table's row count from the catalog (`sys.partitions` of its heap or clustered index). */
export const ROW_ESTIMATES = `/* tributary:row-estimates */ SELECT s.name AS schema_name, t.name AS table_name, CAST(SUM(p.rows) AS float) AS estimate FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id JOIN sys.partitions p ON p.object_id = t.object_id AND p.index_id IN (0, 1) WHERE t.is_ms_shipped = 0 GROUP BY s.name, t.name`;
