import { TYPES } from 'tedious';
import type { QueryRunner } from '../client/sql.js';
import { CAPTURE_PROGRESS, POSITION_AGE } from '../client/statements.js';
import { formatLsn, parseLsn } from '../offset.js';

/** How long the harvested LSN may stand still while the log grows before the job counts as stopped. */
export const CAPTURE_STALL_MS = 5 * 60_000;
/** The share of the cleanup retention the position may reach before a warning. */
export const RETENTION_WARNING_SHARE = 0.8;

/**
 * The capture's health warnings (see `SourceConnection.health`):
 * - the capture job has stopped: `fn_cdc_get_max_lsn()` is NULL (it never ran), or it has not
 *   moved for `CAPTURE_STALL_MS` while the log end did (SQL Server Agent or the job stopped);
 * - the position nears retention: the changes at the acknowledged offset are older than 80 % of
 *   the cleanup job's retention, after which the cleanup job deletes them and the connector needs
 *   a new snapshot. Skipped when msdb is not readable.
 */
export class CaptureHealth {
  /** The harvested LSN and log end at `since`, when the harvest last moved (or the log stood still). */
  private harvested: { maxLsn: string; logEnd: string; since: number } | undefined;

  constructor(
    private readonly runner: QueryRunner,
    private readonly now: () => number = Date.now,
  ) {}

  async warning(position: string | undefined): Promise<string | null> {
    return (await this.captureJob()) ?? (position === undefined ? null : await this.retention(position));
  }

  private async captureJob(): Promise<string | null> {
    const [row] = await this.runner.query(CAPTURE_PROGRESS);
    if (!Buffer.isBuffer(row?.max_lsn)) {
      this.harvested = undefined;
      return "the CDC capture job has never harvested the log (sys.fn_cdc_get_max_lsn() is NULL): start SQL Server Agent, then EXEC sys.sp_cdc_start_job @job_type = N'capture';";
    }
    const maxLsn = formatLsn(row.max_lsn);
    const logEnd = String(row.log_end_lsn ?? '');
    const last = this.harvested;
    // a new baseline whenever the harvest moved or the log did not grow since the baseline
    if (!last || last.maxLsn !== maxLsn || last.logEnd === logEnd) {
      this.harvested = { maxLsn, logEnd, since: this.now() };
      return null;
    }
    const still = this.now() - last.since;
    if (still < CAPTURE_STALL_MS) return null;
    return `the CDC capture job has harvested nothing for ${Math.round(still / 60_000)} min while the log grew (harvested up to ${maxLsn}): check that SQL Server Agent runs and EXEC sys.sp_cdc_start_job @job_type = N'capture';`;
  }

  private async retention(position: string): Promise<string | null> {
    const lsn = { type: TYPES.Binary, value: parseLsn(position), options: { length: 10 } };
    const [row] = await this.runner.query(POSITION_AGE, { lsn }).catch(() => []);
    const retention = Number(row?.retention_minutes);
    const age = Number(row?.age_seconds);
    if (!Number.isFinite(retention) || !Number.isFinite(age) || retention <= 0) return null;
    if (age < retention * 60 * RETENTION_WARNING_SHARE) return null;
    return `the position ${position} is ${Math.round(age / 60)} min old and the CDC cleanup job deletes changes after ${retention} min: once it passes the position the connector needs a new snapshot (catch up, or raise the retention: EXEC sys.sp_cdc_change_job @job_type = N'cleanup', @retention = <minutes>;)`;
  }
}
