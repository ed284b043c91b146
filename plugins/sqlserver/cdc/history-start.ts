import { TYPES } from 'tedious';
import { HistoryLostError } from '../../../core/plugin/index.js';
import { qualifiedName } from '../../../core/plugin/kit.js';
import type { QueryRunner } from '../client/sql.js';
import { LSN_TIME, MIN_LSN } from '../client/statements.js';
import { formatLsn } from '../offset.js';
import type { Instance } from './capture-instances.js';

/**
 * Where an instance's reading starts: `pos`, or the instance's min LSN when the instance began
 * after `pos`. When cleanup has removed changes after `pos` (the min LSN passed it for an
 * instance that existed at `pos`, or nothing is left to date `pos` by), the history is lost:
 * HistoryLostError, never a silent skip. A min LSN just above `pos` counts as lost too (SQL Server
 * cannot tell whether a change lay between them).
 */
export async function historyStart(
  runner: QueryRunner,
  instance: Instance,
  pos: Buffer,
  seen: ReadonlyMap<string, Buffer>,
  oldestStart: Buffer | undefined,
  signal: AbortSignal,
): Promise<Buffer> {
  const [row] = await runner.query(MIN_LSN, { instance: nvarchar(instance.name) }, signal);
  const min = row?.min_lsn;
  if (!Buffer.isBuffer(min) || Buffer.compare(min, pos) <= 0) return pos;
  // Cleanup moves every instance's start to one low watermark: an instance still starting at or
  // before pos shows that cleanup has not passed pos, so this one began after it.
  if (oldestStart !== undefined && Buffer.compare(oldestStart, pos) <= 0) return min;
  const firstSeen = seen.get(instance.name);
  let existedAtPos = firstSeen !== undefined && Buffer.compare(firstSeen, pos) <= 0;
  if (!existedAtPos) {
    // The time of the last lsn_time_mapping entry at or below pos; none left means the cleanup
    // job passed pos too, so the instance cannot be shown to be newer: history is lost.
    const [time] = await runner.query(LSN_TIME, { lsn: binary10(pos) }, signal);
    const at = time?.commit_time;
    existedAtPos = typeof at !== 'string' || instance.createDate <= at;
  }
  if (existedAtPos)
    throw new HistoryLostError(
      `capture instance ${instance.name} of ${qualifiedName(instance.table.ref)} no longer holds the changes after ${formatLsn(pos)} (its oldest is ${formatLsn(min)}): the CDC cleanup job removed them; snapshot the table again`,
    );
  return min;
}

function nvarchar(value: string) {
  return { type: TYPES.NVarChar, value };
}

function binary10(value: Buffer) {
  return { type: TYPES.Binary, value, options: { length: 10 } };
}
