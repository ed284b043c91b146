import type { Sql } from '../client/sql.js';

const GIB = 1024 ** 3;

/** 1.5 GiB, 300 MiB, 12 kB: a byte count as people read it. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A warning when the slot retains more WAL than `thresholdBytes`, or when the server reports that
 * it is about to give the slot up (`wal_status` unreserved or lost); null otherwise. The WAL a slot
 * retains is the distance from its `restart_lsn` to the server's current WAL position; once it
 * passes `max_slot_wal_keep_size` the server invalidates the slot and a new snapshot is needed.
 */
export async function walRetentionWarning(
  sql: Sql,
  slot: string,
  thresholdBytes: number,
): Promise<string | null> {
  const [row] = await sql<{ retained: string | null; wal_status: string | null; safe: string | null }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS retained, wal_status,
            safe_wal_size::text AS safe
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  if (!row || row.retained === null) return null;
  const retained = Number(row.retained);
  const endangered = row.wal_status === 'unreserved' || row.wal_status === 'lost';
  if (retained <= thresholdBytes && !endangered) return null;
  const room =
    row.safe === null
      ? 'max_slot_wal_keep_size is unlimited, so the source disk is the limit'
      : `${formatBytes(Number(row.safe))} more before max_slot_wal_keep_size invalidates the slot`;
  return (
    `replication slot ${slot} retains ${formatBytes(retained)} of WAL` +
    ` (warning threshold options.walRetentionWarningBytes = ${formatBytes(thresholdBytes)}; wal_status ${row.wal_status}; ${room}).` +
    ' The source keeps this WAL until Tributary has applied it: let the connector catch up, or resume it if paused;' +
    ' if the slot is invalidated a new snapshot is needed'
  );
}

export const DEFAULT_WAL_WARNING_BYTES = GIB;

/** Bytes of WAL between the server's current position and what the slot has confirmed; null without the slot. */
export async function walBytesBehind(sql: Sql, slot: string): Promise<number | null> {
  const [row] = await sql<{ behind: string | null }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint::text AS behind
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  return row?.behind === null || row?.behind === undefined ? null : Math.max(0, Number(row.behind));
}
