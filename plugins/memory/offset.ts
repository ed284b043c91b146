import { offsetValidator } from '../../core/plugin/kit.js';
/**
 * Memory offsets are commit sequence numbers written as 16 zero-padded decimal digits, so that
 * string order equals history order: `0000000000000000` is the empty database, and commit `n`
 * has offset `formatOffset(n)`.
 */
export const OFFSET_DIGITS = 16;

const OFFSET_PATTERN = /^\d{16}$/;

/** Writes a commit sequence number as an offset. */
export function formatOffset(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new RangeError(`memory offset sequence must be a non-negative safe integer, got ${sequence}`);
  }
  return String(sequence).padStart(OFFSET_DIGITS, '0');
}

/** Reads an offset made by `formatOffset`; rejects anything else with a message naming the value. */
export function parseOffset(offset: string): number {
  if (typeof offset !== 'string' || !OFFSET_PATTERN.test(offset)) {
    throw new RangeError(
      `malformed memory offset ${JSON.stringify(offset)}: expected ${OFFSET_DIGITS} decimal digits, e.g. 0000000000000042`,
    );
  }
  const sequence = Number(offset);
  if (!Number.isSafeInteger(sequence)) {
    throw new RangeError(`memory offset ${offset} is beyond the largest sequence this database can reach`);
  }
  return sequence;
}

/** The plugin's `validateOffset`: null for a well-formed offset, else what one looks like. */
export const validateOffset = offsetValidator(parseOffset);
