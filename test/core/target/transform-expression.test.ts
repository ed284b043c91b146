import { describe, expect, it } from 'vitest';
import { substituteValue, valueSql } from '../../../core/target/transform-expression.js';

describe('transform expressions', () => {
  const sub = (expression: string) => substituteValue(expression, 'v::int', 'v');

  it.each([
    ['%d + 1000000', '(v::int) + 1000000'],
    ["'>>' || %d || '<<'", "'>>' || (v::int) || '<<'"],
    ["'>>>>>' || '%d' || '<<<<<'", "'>>>>>' || (v) || '<<<<<'"],
    ["format('%d%%', %d)", "format('%d%%', (v::int))"],
    ['%d %% 7', '(v::int) % 7'],
    ['"%d" + %d', '"%d" + (v::int)'],
    ["'it''s %d' || %d", "'it''s %d' || (v::int)"],
    ['%d -- %d in a comment', '(v::int) -- %d in a comment'],
    ['%x stays', '%x stays'],
  ])('turns %s into %s', (expression, sql) => {
    expect(sub(expression)).toBe(sql);
  });

  it('casts a plain value, and transforms only values that are not NULL', () => {
    expect(valueSql('u.v0', 'integer', null)).toBe('u.v0::integer');
    expect(valueSql('u.v0', 'integer', '%d * 2')).toBe(
      '(CASE WHEN u.v0 IS NULL THEN NULL ELSE ((u.v0::integer) * 2)::integer END)',
    );
  });
});
