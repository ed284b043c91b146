import { describe, expect, it } from 'vitest';
import {
  MAX_BIT_LENGTH,
  MAX_CHAR_LENGTH,
  passThrough,
  withDigits,
  withFraction,
  withLength,
} from '../../../core/plugin/kit.js';

const column = { name: 'c', position: 1, nullable: true };

describe('type sizes of the plugin kit', () => {
  it('puts fractional-second digits after the first word of the SQL time spellings, capped at 6', () => {
    expect(withFraction('timestamp with time zone', 3)).toBe('timestamp(3) with time zone');
    expect(withFraction('time without time zone', 0)).toBe('time(0) without time zone');
    expect(withFraction('timestamptz', 7)).toBe('timestamptz(6)');
    expect(withFraction('interval', 2)).toBe('interval(2)');
    expect(withFraction('timestamp', null)).toBe('timestamp');
  });

  it('keeps a length within 1 and the character limit, or the limit given', () => {
    expect(withLength('varchar', 20)).toBe('varchar(20)');
    expect(withLength('varchar', 0)).toBe('varchar(1)');
    expect(withLength('varchar', MAX_CHAR_LENGTH + 1)).toBe(`varchar(${MAX_CHAR_LENGTH})`);
    expect(withLength('bit', MAX_CHAR_LENGTH + 1, MAX_BIT_LENGTH)).toBe(`bit(${MAX_CHAR_LENGTH + 1})`);
    expect(withLength('bit', MAX_BIT_LENGTH + 1, MAX_BIT_LENGTH)).toBe(`bit(${MAX_BIT_LENGTH})`);
    expect(withLength('text', undefined)).toBe('text');
  });

  it('writes the precision and scale a column declares', () => {
    expect(withDigits('numeric', { precision: 12, scale: 2 })).toBe('numeric(12,2)');
    expect(withDigits('numeric', { precision: 12, scale: null })).toBe('numeric(12)');
    expect(withDigits('numeric', {})).toBe('numeric');
  });

  it('passes an unmapped type through with its length, else its digits', () => {
    expect(passThrough('char', { ...column, type: 'char', length: 10 })).toBe('char(10)');
    expect(passThrough('time', { ...column, type: 'time', precision: 6 })).toBe('time(6)');
    expect(passThrough('date', { ...column, type: 'date' })).toBe('date');
  });
});
