import { describe, expect, it } from 'vitest';
import { formatOffset, parseOffset, validateOffset } from '../../../plugins/mysql/offset.js';

describe('mysql offsets', () => {
  it('writes the binlog file, a colon and the position as 16 digits', () => {
    expect(formatOffset({ file: 'mariadb-bin.000003', position: 1234 })).toBe(
      'mariadb-bin.000003:0000000000001234',
    );
    expect(formatOffset({ file: 'binlog.000001', position: 4, gtid: '0-1-42' })).toBe(
      'binlog.000001:0000000000000004;gtid=0-1-42',
    );
  });

  it('round-trips positions, files and GTID sets of both flavours', () => {
    for (const position of [
      { file: 'mariadb-bin.000001', position: 0 },
      { file: 'mysql-bin.1000000', position: 2 ** 40 },
      { file: 'binlog.000009', position: 77, gtid: '0-1-5,1-2-9' },
      { file: 'binlog.000009', position: 77, gtid: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-27:tag_a:1' },
    ]) {
      expect(parseOffset(formatOffset(position))).toEqual(position);
    }
  });

  it('sorts offsets as strings in binary log order', () => {
    const positions = [
      { file: 'b.000002', position: 4 },
      { file: 'b.000001', position: 999_999_999 },
      { file: 'b.000001', position: 5 },
      { file: 'b.000001', position: 40 },
      { file: 'b.000010', position: 4 },
    ];
    const sorted = positions.map((p) => formatOffset(p)).sort();
    expect(sorted.map((offset) => parseOffset(offset))).toEqual([
      { file: 'b.000001', position: 5 },
      { file: 'b.000001', position: 40 },
      { file: 'b.000001', position: 999_999_999 },
      { file: 'b.000002', position: 4 },
      { file: 'b.000010', position: 4 },
    ]);
  });

  it.each([
    '',
    '1/A2B3C4D',
    'mariadb-bin.000001:1234',
    'mariadb-bin:0000000000001234',
    'x.000001:0000000000001234;gtid=1;DROP',
  ])('rejects %j, saying what an offset looks like', (offset) => {
    expect(validateOffset(offset)).toMatch(/offsets look like mariadb-bin\.000003:0000000000001234/);
    expect(() => parseOffset(offset)).toThrow(RangeError);
  });
});
