import { offsetValidator } from '../../core/plugin/kit.js';

/**
 * PostgreSQL offsets are LSNs (64-bit WAL positions) written as exactly 16 upper-case hex digits:
 * the high and the low 32 bits, 8 digits each. LSN `1/A2B3C4D` is offset `000000010A2B3C4D`, so
 * string order equals WAL order. LSNs exceed 2^53: they are handled as `bigint`, never as numbers.
 */
const OFFSET_PATTERN = /^[0-9A-F]{16}$/;
const LSN_TEXT_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;
const MAX_LSN = (1n << 64n) - 1n;

const EXPECTED =
  'offsets are LSNs written as exactly 16 upper-case hex digits (high and low 32 bits, 8 digits each), ' +
  'e.g. 000000010A2B3C4D for LSN 1/A2B3C4D';

export function formatOffset(lsn: bigint): string {
  if (lsn < 0n || lsn > MAX_LSN) throw new RangeError(`LSN ${lsn} is outside 0 .. 2^64-1`);
  return lsn.toString(16).toUpperCase().padStart(16, '0');
}

/** Reads an offset made by `formatOffset`; rejects anything else with a message naming the value. */
export function parseOffset(offset: string): bigint {
  if (typeof offset !== 'string' || !OFFSET_PATTERN.test(offset)) {
    throw new RangeError(`malformed PostgreSQL offset ${JSON.stringify(offset)}: ${EXPECTED}`);
  }
  return BigInt(`0x${offset}`);
}

/** The plugin's `validateOffset`: null for a well-formed offset, else what one looks like. */
export const validateOffset = offsetValidator(parseOffset);

/** Reads PostgreSQL's own LSN notation, `X/Y` (hex, as `pg_lsn` prints it). */
export function lsnFromText(text: string): bigint {
  const match = LSN_TEXT_PATTERN.exec(text);
  if (match === null) throw new RangeError(`malformed LSN ${JSON.stringify(text)}: expected X/Y in hex`);
  const [, high = '0', low = '0'] = match;
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/** Writes an LSN in PostgreSQL's notation, `X/Y`, for SQL and replication commands. */
export function lsnToText(lsn: bigint): string {
  const high = (lsn >> 32n).toString(16).toUpperCase();
  const low = (lsn & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

export function offsetFromLsnText(text: string): string {
  return formatOffset(lsnFromText(text));
}

export function lsnTextFromOffset(offset: string): string {
  return lsnToText(parseOffset(offset));
}
