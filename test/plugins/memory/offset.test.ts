import { describe, expect, it } from 'vitest';
import { formatOffset, parseOffset } from '../../../plugins/memory/index.js';

describe('memory offsets', () => {
  it('writes sequences as 16 zero-padded decimal digits', () => {
    expect(formatOffset(0)).toBe('0000000000000000');
    expect(formatOffset(42)).toBe('0000000000000042');
  });

  it('orders offsets as strings the way their sequences are ordered', () => {
    const sequences = [10, 9, 100, 1, 99, 1000];
    const offsets = sequences.map(formatOffset).sort();
    expect(offsets.map(parseOffset)).toEqual([1, 9, 10, 99, 100, 1000]);
  });

  it('parses what it formats', () => {
    for (const sequence of [0, 7, 123_456_789, Number.MAX_SAFE_INTEGER]) {
      expect(parseOffset(formatOffset(sequence))).toBe(sequence);
    }
  });

  it.each(['', '42', '00000000000000042', '000000000000004x', '-000000000000042', ' 000000000000042'])(
    'rejects the malformed offset %j with a message naming it',
    (offset) => {
      expect(() => parseOffset(offset)).toThrow(`malformed memory offset ${JSON.stringify(offset)}`);
    },
  );

  it('rejects an offset beyond the largest reachable sequence', () => {
    expect(() => parseOffset('9999999999999999')).toThrow(/beyond the largest sequence/);
  });

  it('refuses to format a negative or fractional sequence', () => {
    expect(() => formatOffset(-1)).toThrow(RangeError);
    expect(() => formatOffset(1.5)).toThrow(RangeError);
  });
});
