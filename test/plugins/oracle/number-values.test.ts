import { describe, expect, it } from 'vitest';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { withNumberValues, withScale } from '../../../plugins/oracle/logminer/number-values.js';

const number = (name: string, precision: number | null, scale: number | null): SourceColumn => ({
  name,
  position: 1,
  type: 'number',
  length: null,
  precision,
  scale,
  nullable: true,
  autoIncrement: false,
});

describe('Oracle NUMBER values', () => {
  it.each([
    ['1.1', 2, '1.10'],
    ['1', 2, '1.00'],
    ['-.5', 3, '-0.500'],
    ['.25', 2, '0.25'],
    ['123456789012345.1', 4, '123456789012345.1000'],
    ['1.234', 2, '1.234'],
  ])('gives %s in a NUMBER(p, %i) its declared scale: %s', (text, scale, expected) => {
    expect(withScale(text, scale)).toBe(expected);
  });

  it('hands NUMBER(p ≤ 15, 0) over as numbers, NUMBER(p, s) as text of scale s, other NUMBERs as Oracle wrote them', () => {
    const columns = [
      number('ID', 9, 0),
      number('PRICE', 12, 2),
      number('ANY', null, null),
      number('BIG', 20, 0),
    ];
    expect(
      withNumberValues({ ID: '7', PRICE: '2.2', ANY: '2.50', BIG: '12345678901234567890' }, columns),
    ).toEqual({ ID: 7, PRICE: '2.20', ANY: '2.50', BIG: '12345678901234567890' });
  });
});
