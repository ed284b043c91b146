import { describe, expect, it } from 'vitest';
import { toCopyField, toPgText } from '../../../core/plugin/pg-text.js';

describe('PostgreSQL text of source values', () => {
  it('writes each kind of value as PostgreSQL text input', () => {
    expect(toPgText(null)).toBeNull();
    expect(toPgText('12.50')).toBe('12.50');
    expect(toPgText(42)).toBe('42');
    expect(toPgText(2n ** 64n)).toBe('18446744073709551616');
    expect(toPgText(true)).toBe('t');
    expect(toPgText(Buffer.from([0, 255]))).toBe('\\x00ff');
    expect(toPgText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(toPgText(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678Z');
  });

  it('escapes COPY text: null, backslash, newline, carriage return and tab', () => {
    expect(toCopyField(null)).toBe('\\N');
    expect(toCopyField(undefined)).toBe('\\N');
    expect(toCopyField('plain')).toBe('plain');
    expect(toCopyField('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
    expect(toCopyField({ text: 'line\nbreak' })).toBe('{"text":"line\\\\nbreak"}');
    expect(toCopyField(7)).toBe('7');
    expect(toCopyField(false)).toBe('f');
  });

  it("doubles bytea's backslash, which COPY would otherwise read as a hex byte escape", () => {
    expect(toCopyField(Buffer.from([0, 1, 255]))).toBe('\\\\x0001ff');
  });
});
