import { describe, expect, it } from 'vitest';
import {
  formatOffset,
  lsnFromText,
  lsnToText,
  offsetFromLsnText,
  parseOffset,
  validateOffset,
} from '../../../plugins/postgres/offset.js';

describe('postgres offsets', () => {
  it('writes an LSN as 16 upper-case hex digits, high and low halves padded to 8 each', () => {
    expect(offsetFromLsnText('0/1B864F0')).toBe('0000000001B864F0');
    expect(offsetFromLsnText('1/A2B3C4D')).toBe('000000010A2B3C4D');
    expect(offsetFromLsnText('FFFFFFFF/FFFFFFFF')).toBe('FFFFFFFFFFFFFFFF');
  });

  it('round-trips LSNs above 2^53 without losing a bit', () => {
    for (const lsn of [2n ** 53n + 1n, 2n ** 63n + 12345n, 2n ** 64n - 1n]) {
      expect(parseOffset(formatOffset(lsn))).toBe(lsn);
      expect(lsnFromText(lsnToText(lsn))).toBe(lsn);
    }
    expect(lsnToText(2n ** 53n + 1n)).toBe('200000/1');
  });

  it('sorts offsets as strings in the order of their LSNs', () => {
    const lsns = [0n, 15n, 16n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 53n, 2n ** 60n, 255n];
    const byString = lsns.map(formatOffset).sort();
    const byValue = [...lsns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(formatOffset);
    expect(byString).toEqual(byValue);
  });

  it('accepts exactly 16 upper-case hex digits', () => {
    expect(validateOffset('000000010A2B3C4D')).toBeNull();
    expect(validateOffset('0000000000000000')).toBeNull();
  });

  it.each(['', '1/A2B3C4D', '000000010a2b3c4d', '00000001A2B3C4D', '000000010A2B3C4D0', ' 00000010A2B3C4D'])(
    'rejects %j, saying what an offset looks like',
    (offset) => {
      expect(validateOffset(offset)).toMatch(/exactly 16 upper-case hex digits.*e\.g\. 000000010A2B3C4D/);
      expect(() => parseOffset(offset)).toThrow(RangeError);
    },
  );

  it('rejects LSN text that is not X/Y hex', () => {
    expect(() => lsnFromText('1-2')).toThrow(/expected X\/Y/);
    expect(() => lsnFromText('123456789/0')).toThrow(/expected X\/Y/);
  });
});
