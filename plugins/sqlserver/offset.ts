import { offsetValidator } from '../../core/plugin/kit.js';

/**
 * Offsets are SQL Server LSNs — `binary(10)`, big-endian — written as 20 upper-case hex digits, so
 * string order is LSN order. An offset is a commit LSN (`__$start_lsn` of the change tables).
 */
const OFFSET_PATTERN = /^[0-9A-F]{20}$/;

const EXPECTED =
  'offsets are SQL Server LSNs as 20 upper-case hex digits, e.g. 0000002B000004D80004 ' +
  "(Debezium's commit_lsn 0000002b:000004d8:0004 with the colons removed and the letters upper-cased)";

/** The offset of a `binary(10)` LSN as tedious returns it. */
export function formatLsn(lsn: Buffer): string {
  if (lsn.length !== 10) throw new RangeError(`an LSN has 10 bytes, not ${lsn.length}`);
  return lsn.toString('hex').toUpperCase();
}

/** The `binary(10)` LSN of an offset; rejects anything else with a message naming the value. */
export function parseLsn(offset: string): Buffer {
  if (typeof offset !== 'string' || !OFFSET_PATTERN.test(offset))
    throw new RangeError(`malformed SQL Server offset ${JSON.stringify(offset)}: ${EXPECTED}`);
  return Buffer.from(offset, 'hex');
}

/** The plugin's `validateOffset`: null for a well-formed offset, else what one looks like. */
export const validateOffset = offsetValidator(parseLsn);

/** The larger of two offsets (string order is LSN order). */
export function maxOffset(a: string, b: string): string {
  return a >= b ? a : b;
}

/**
 * The offset of an LSN as the catalog gives it: `binary(10)`, or the text form of
 * `sys.dm_db_log_stats.log_end_lsn` (`0000002b:000004d8:0004`, hex parts of 8, 8 and 4 digits).
 */
export function offsetOfLsn(value: unknown): string {
  if (Buffer.isBuffer(value)) return formatLsn(value);
  const match = /^([0-9a-f]{1,8}):([0-9a-f]{1,8}):([0-9a-f]{1,4})$/i.exec(String(value ?? '').trim());
  if (!match) throw new RangeError(`not an LSN: ${JSON.stringify(value)}`);
  const [, vlf = '', block = '', slot = ''] = match;
  return `${vlf.padStart(8, '0')}${block.padStart(8, '0')}${slot.padStart(4, '0')}`.toUpperCase();
}
