import { compactGtid, parseGtidState } from '../binlog/gtid-state.js';
import type { BinlogPosition } from '../offset.js';
import type { Sql } from './sql.js';

export { type GtidState, type MariadbGtid, type MysqlGtidSet, parseGtidState } from '../binlog/gtid-state.js';
export { authenticationHint } from './auth-hint.js';

/**
 * Which server the plugin talks to, from `SELECT VERSION()`. MySQL and MariaDB share the binary log
 * protocol but differ in statement names (SHOW BINARY LOG STATUS / SHOW BINLOG STATUS / SHOW MASTER
 * STATUS), privilege names (BINLOG MONITOR), GTID notation and how a snapshot learns its position.
 */
export interface ServerFlavor {
  readonly kind: 'mariadb' | 'mysql';
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The server's own version text, e.g. `10.11.19-MariaDB-0+deb12u1-log` or `8.4.0`. */
  readonly text: string;
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)/;

/**
 * Reads `SELECT VERSION()`: MariaDB names itself (`10.11.19-MariaDB-0+deb12u1-log`, or with the
 * `5.5.5-` prefix old proxies add); anything else is MySQL (`8.0.36`, `8.4.0-commercial`,
 * `8.0.36-28` from Percona). Throws RangeError when the text has no `major.minor.patch`.
 */
export function parseServerVersion(text: string): ServerFlavor {
  const trimmed = text.trim();
  const kind = /mariadb/i.test(trimmed) ? 'mariadb' : 'mysql';
  const bare = kind === 'mariadb' ? trimmed.replace(/^5\.5\.5-/, '') : trimmed;
  const match = VERSION.exec(bare);
  if (!match) throw new RangeError(`cannot read the server version ${JSON.stringify(text)}`);
  const [, major = '0', minor = '0', patch = '0'] = match;
  return { kind, major: Number(major), minor: Number(minor), patch: Number(patch), text: trimmed };
}

/** True when the server's version is `major.minor.patch` or later. */
export function versionAtLeast(flavor: ServerFlavor, major: number, minor = 0, patch = 0): boolean {
  if (flavor.major !== major) return flavor.major > major;
  if (flavor.minor !== minor) return flavor.minor > minor;
  return flavor.patch >= patch;
}

/** MariaDB 10.5.2 renamed REPLICATION CLIENT to BINLOG MONITOR and added SHOW BINLOG STATUS. */
export function hasBinlogMonitor(flavor: ServerFlavor): boolean {
  return flavor.kind === 'mariadb' && versionAtLeast(flavor, 10, 5, 2);
}

/**
 * The statement that reports the current binary log file and position: SHOW BINARY LOG STATUS on
 * MySQL 8.2+ (SHOW MASTER STATUS is gone in 8.4), SHOW BINLOG STATUS on MariaDB 10.5.2+, SHOW
 * MASTER STATUS before those.
 */
export function binlogStatusStatement(flavor: ServerFlavor): string {
  if (flavor.kind === 'mysql' && versionAtLeast(flavor, 8, 2)) return 'SHOW BINARY LOG STATUS';
  if (hasBinlogMonitor(flavor)) return 'SHOW BINLOG STATUS';
  return 'SHOW MASTER STATUS';
}

/** Lists the binary log files the server still holds (`Log_name`, `File_size`). */
export function listBinlogsStatement(_flavor: ServerFlavor): string {
  return 'SHOW BINARY LOGS';
}

interface StatusRow extends Record<string, unknown> {
  File?: string;
  Position?: number | string | bigint;
  Executed_Gtid_Set?: string;
}

/** How often a MariaDB position read is repeated when a commit lands between its two halves. */
const GTID_READ_ATTEMPTS = 3;

/**
 * The server's current binary log position with its GTID state: MariaDB's `@@gtid_binlog_pos`
 * (kept only when the position read before and after it is the same, so no commit fell between;
 * omitted after three busy attempts), MySQL's executed GTID set when `@@gtid_mode` is ON. Throws
 * when binary logging is off.
 */
export async function readBinlogPosition(sql: Sql, flavor: ServerFlavor): Promise<BinlogPosition> {
  if (flavor.kind === 'mysql') return readMysqlPosition(sql, flavor);
  let position = await readStatus(sql, flavor);
  for (let attempt = 0; attempt < GTID_READ_ATTEMPTS; attempt++) {
    const [row] = await sql<{ gtid: string | null }>('SELECT @@GLOBAL.gtid_binlog_pos AS gtid');
    const after = await readStatus(sql, flavor);
    if (samePosition(position, after)) return withGtid(after, row?.gtid);
    position = after;
  }
  return position;
}

async function readMysqlPosition(sql: Sql, flavor: ServerFlavor): Promise<BinlogPosition> {
  const [mode] = await sql<{ gtid_mode: string }>('SELECT @@GLOBAL.gtid_mode AS gtid_mode');
  const row = await readStatusRow(sql, flavor);
  const position = statusPosition(row, flavor);
  if (String(mode?.gtid_mode ?? '').toUpperCase() !== 'ON') return position;
  if (row.Executed_Gtid_Set !== undefined) return withGtid(position, row.Executed_Gtid_Set);
  const [executed] = await sql<{ gtid: string | null }>('SELECT @@GLOBAL.gtid_executed AS gtid');
  return withGtid(position, executed?.gtid);
}

async function readStatus(sql: Sql, flavor: ServerFlavor): Promise<BinlogPosition> {
  return statusPosition(await readStatusRow(sql, flavor), flavor);
}

async function readStatusRow(sql: Sql, flavor: ServerFlavor): Promise<StatusRow> {
  const statement = binlogStatusStatement(flavor);
  const [row] = await sql<StatusRow>(statement);
  if (row === undefined) throw new Error(`${statement} returned no row: binary logging is off on the server`);
  return row;
}

function statusPosition(row: StatusRow, flavor: ServerFlavor): BinlogPosition {
  return binlogPosition(row.File, row.Position, binlogStatusStatement(flavor));
}

function binlogPosition(file: unknown, position: unknown, source: string): BinlogPosition {
  const offset = Number(position);
  if (typeof file !== 'string' || file === '' || !Number.isSafeInteger(offset) || offset < 0)
    throw new Error(
      `${source} returned no usable binary log position (file ${String(file)}, position ${String(position)})`,
    );
  return { file, position: offset };
}

/** The GTID is informational (offsets order by file and position): one the offset format could not carry is left out. */
function withGtid(position: BinlogPosition, gtid: string | null | undefined): BinlogPosition {
  const compact = compactGtid(gtid ?? '');
  if (compact === '') return position;
  try {
    parseGtidState(compact);
  } catch {
    return position;
  }
  return { ...position, gtid: compact };
}

function samePosition(a: BinlogPosition, b: BinlogPosition): boolean {
  return a.file === b.file && a.position === b.position;
}

/**
 * Whether the server still holds the binary log file of `position` (and it reaches that far): false
 * once the file was purged or the log was reset, so reading from there would silently skip history.
 */
export async function binlogAvailable(
  sql: Sql,
  flavor: ServerFlavor,
  position: BinlogPosition,
): Promise<boolean> {
  const logs = await sql<{ Log_name: string; File_size: number | string }>(listBinlogsStatement(flavor));
  const log = logs.find((row) => row.Log_name === position.file);
  return log !== undefined && position.position <= Number(log.File_size);
}

/**
 * Starts, on the dedicated session `sql` runs on, a REPEATABLE READ transaction `WITH CONSISTENT
 * SNAPSHOT, READ ONLY` and returns the binary log position it corresponds to: every commit logged
 * before the position is visible in the transaction, none after. The transaction stays open for
 * the caller's reads; on failure it is rolled back and the error thrown.
 *
 * MariaDB: no lock. The server reports the snapshot's own position in `Binlog_snapshot_file` /
 * `Binlog_snapshot_position` (exact even while others commit). `@@gtid_binlog_pos` is a global,
 * not part of the snapshot: it is kept only when the head position read after it still equals the
 * snapshot position (nothing was logged since), else the position carries no GTID.
 *
 * MySQL: `FLUSH TABLES WITH READ LOCK` (needs RELOAD) holds every commit while the transaction
 * starts and `binlogStatusStatement` reads the position; `UNLOCK TABLES` always follows, also when
 * a step failed (UNLOCK TABLES does not end the transaction). The lock waits for running
 * statements to finish, so a long query on the source delays it. There is no fallback to `LOCK
 * INSTANCE FOR BACKUP` + `performance_schema.log_status`: the backup lock does not stop DML, and
 * MySQL writes a transaction to the binary log before committing it in InnoDB, so a position read
 * next to START TRANSACTION cannot tell whether a commit in flight is in the snapshot.
 */
export async function openConsistentSnapshot(sql: Sql, flavor: ServerFlavor): Promise<BinlogPosition> {
  await sql('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  if (flavor.kind === 'mariadb') return rollingBackOnFailure(sql, () => mariadbSnapshot(sql, flavor));
  await sql('FLUSH TABLES WITH READ LOCK');
  let failed = false;
  try {
    return await rollingBackOnFailure(sql, async () => {
      await sql(START_SNAPSHOT);
      return readBinlogPosition(sql, flavor);
    });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A failed UNLOCK after a failed step must not hide that step's error; after a success it
    // must surface: the caller then destroys the session, which releases the lock.
    await sql('UNLOCK TABLES').catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

const START_SNAPSHOT = 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY';

async function mariadbSnapshot(sql: Sql, flavor: ServerFlavor): Promise<BinlogPosition> {
  await sql(START_SNAPSHOT);
  const rows = await sql<{ Variable_name: string; Value: string }>("SHOW STATUS LIKE 'binlog_snapshot_%'");
  const value = (name: string) => rows.find((row) => row.Variable_name.toLowerCase() === name)?.Value;
  const snapshot = binlogPosition(
    value('binlog_snapshot_file'),
    value('binlog_snapshot_position'),
    "SHOW STATUS LIKE 'binlog_snapshot_%'",
  );
  const [row] = await sql<{ gtid: string | null }>('SELECT @@GLOBAL.gtid_binlog_pos AS gtid');
  const head = await readStatus(sql, flavor);
  return samePosition(snapshot, head) ? withGtid(snapshot, row?.gtid) : snapshot;
}

async function rollingBackOnFailure<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await sql('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
