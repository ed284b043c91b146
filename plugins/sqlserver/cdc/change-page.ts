import { TYPES } from 'tedious';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { quote } from '../client/identifiers.js';
import type { Parameter } from '../client/sql.js';
import { tag } from '../client/statements.js';
import { projectColumns } from '../schema/projection.js';

/** The change-row metadata columns of `cdc.fn_cdc_get_all_changes_<instance>`. */
export const START_LSN = '__$start_lsn';
export const SEQVAL = '__$seqval';
export const OPERATION = '__$operation';
export const UPDATE_MASK = '__$update_mask';

/** Where a change row sorts: commit LSN, sequence in the transaction, operation. */
export interface ChangePosition {
  readonly lsn: Buffer;
  readonly seqval: Buffer;
  readonly operation: number;
}

/** Orders change rows as the log does: (start_lsn, seqval, operation). */
export function comparePositions(a: ChangePosition, b: ChangePosition): number {
  return Buffer.compare(a.lsn, b.lsn) || Buffer.compare(a.seqval, b.seqval) || a.operation - b.operation;
}

/**
 * One page of a capture instance's changes strictly after `@pos` and before `@until`, resuming
 * strictly after the position (`@l0`, `@l1`, `@l2`) when `after`, in log order. `N'all update old'`
 * returns both images of an update (operations 3 then 4).
 */
export function changePageSql(instance: string, columns: readonly SourceColumn[], after: boolean): string {
  const meta = [START_LSN, SEQVAL, OPERATION, UPDATE_MASK].map(quote).join(', ');
  const resume = after
    ? ` AND (${quote(START_LSN)} > @l0 OR (${quote(START_LSN)} = @l0 AND ${quote(SEQVAL)} > @l1) OR (${quote(START_LSN)} = @l0 AND ${quote(SEQVAL)} = @l1 AND ${quote(OPERATION)} > @l2))`
    : '';
  const list = columns.length > 0 ? `, ${projectColumns(columns)}` : '';
  return `${tag('change-page')} SELECT TOP (@page) ${meta}${list} FROM cdc.${quote(`fn_cdc_get_all_changes_${instance}`)}(@from, @to, N'all update old') WHERE ${quote(START_LSN)} > @pos AND ${quote(START_LSN)} < @until${resume} ORDER BY ${quote(START_LSN)}, ${quote(SEQVAL)}, ${quote(OPERATION)}`;
}

const lsnParam = (value: Buffer): Parameter => ({ type: TYPES.Binary, value, options: { length: 10 } });

/** The parameters of a change page. */
export function changePageParams(
  window: { from: Buffer; to: Buffer; pos: Buffer; until: Buffer },
  page: number,
  after: ChangePosition | undefined,
): Record<string, Parameter> {
  const params: Record<string, Parameter> = {
    page: { type: TYPES.Int, value: page },
    from: lsnParam(window.from),
    to: lsnParam(window.to),
    pos: lsnParam(window.pos),
    until: lsnParam(window.until),
  };
  if (after) {
    params.l0 = lsnParam(after.lsn);
    params.l1 = lsnParam(after.seqval);
    params.l2 = { type: TYPES.Int, value: after.operation };
  }
  return params;
}

/**
 * Whether column `ordinal` (1-based, in capture order) changed according to `__$update_mask`:
 * bit 0 of the mask's last byte is column 1.
 */
export function maskHasColumn(mask: Buffer | null | undefined, ordinal: number): boolean {
  if (!mask || mask.length === 0) return true;
  const index = mask.length - 1 - Math.floor((ordinal - 1) / 8);
  if (index < 0) return false;
  return ((mask[index] ?? 0) & (1 << ((ordinal - 1) % 8))) !== 0;
}
