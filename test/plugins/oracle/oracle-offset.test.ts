import { describe, expect, it } from 'vitest';
import {
  compareOffsets,
  formatOffset,
  fromDebeziumOffset,
  isAtOrBefore,
  parseOffset,
  validateOffset,
} from '../../../plugins/oracle/logminer/oracle-offset.js';
import { compareScn, padScn } from '../../../plugins/oracle/logminer/scn.js';

const XID = '02001F00C0020000';

describe('Oracle offsets', () => {
  it('formats commit offsets, checkpoints and positions with fixed widths', () => {
    expect(formatOffset({ scn: '3118146', xid: XID })).toBe('00000000000003118146:02001F00C0020000');
    expect(formatOffset({ scn: '3118146', xid: XID.toLowerCase(), resumeScn: '3118125' })).toBe(
      '00000000000003118146:02001F00C0020000;from=00000000000003118125',
    );
    expect(formatOffset({ scn: '3081987', resumeScn: '3081950' })).toBe(
      '00000000000003081987;from=00000000000003081950',
    );
  });

  it('parses what it formats', () => {
    for (const offset of [
      { scn: '3118146', xid: XID },
      { scn: '3118146', xid: XID, resumeScn: '3118125' },
      { scn: '0', resumeScn: '0' },
      { scn: '18446744073709551615', resumeScn: '18446744073709551615' },
    ]) {
      expect(parseOffset(formatOffset(offset))).toEqual(offset);
    }
  });

  it('orders offsets as history: SCN, then XID at one SCN, then a position after the commits at its SCN', () => {
    const history = [
      formatOffset({ scn: '99', resumeScn: '50' }),
      formatOffset({ scn: '100', xid: '0000000000000001' }),
      formatOffset({ scn: '100', xid: '0000000000000001', resumeScn: '90' }),
      formatOffset({ scn: '100', xid: '00000000000000FF' }),
      formatOffset({ scn: '100', xid: '0100000000000000', resumeScn: '100' }),
      formatOffset({ scn: '100', resumeScn: '95' }),
      formatOffset({ scn: '101', xid: '0000000000000000' }),
      formatOffset({ scn: '10000000000000000000', resumeScn: '1' }),
    ];
    const shuffled = [...history].reverse();
    expect(shuffled.sort()).toEqual(history);
    for (let index = 1; index < history.length; index++) {
      expect(compareOffsets(history[index - 1] as string, history[index] as string)).toBeLessThan(0);
    }
  });

  it('counts a commit at the flashback SCN as inside the snapshot and later ones as after it', () => {
    const startOffset = formatOffset({ scn: '500', resumeScn: '480' });
    expect(isAtOrBefore('500', 'FFFFFFFFFFFFFFFF', startOffset)).toBe(true);
    expect(isAtOrBefore('501', '0000000000000000', startOffset)).toBe(false);
  });

  it('skips a re-mined transaction at or before the checkpoint and applies the next at the same SCN', () => {
    const checkpoint = formatOffset({ scn: '700', xid: '0000000000000002', resumeScn: '650' });
    expect(isAtOrBefore('700', '0000000000000001', checkpoint)).toBe(true);
    expect(isAtOrBefore('700', '0000000000000002', checkpoint)).toBe(true);
    expect(isAtOrBefore('700', '0000000000000003', checkpoint)).toBe(false);
    expect(isAtOrBefore('699', 'FFFFFFFFFFFFFFFF', checkpoint)).toBe(true);
  });

  it('keeps string order equal to numeric order for random SCNs beyond 2^53', () => {
    let seed = 7n;
    const next = (): bigint => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return seed >> BigInt(Number(seed % 60n));
    };
    for (let index = 0; index < 2000; index++) {
      const a = next().toString();
      const b = next().toString();
      const numeric = Math.sign(Number(BigInt(a) - BigInt(b)));
      expect(Math.sign(compareScn(a, b))).toBe(numeric);
      const left = formatOffset({ scn: a, resumeScn: a });
      const right = formatOffset({ scn: b, resumeScn: b });
      expect(Math.sign(left < right ? -1 : left > right ? 1 : 0)).toBe(numeric);
      expect(padScn(a)).toHaveLength(20);
    }
  });

  it.each([
    ['a bare SCN', '00000000000003118146', 'names neither a transaction nor a resume SCN'],
    ['an unpadded SCN', '3118146:02001F00C0020000', 'expected <SCN, 20 digits>'],
    ['a lower-case XID', '00000000000003118146:02001f00c0020000', '16 upper-case hex digits'],
    ['a short XID', '00000000000003118146:02001F;from=00000000000003118125', 'e.g. 00000000000003118146'],
    [
      'a resume SCN after the SCN',
      '00000000000003118146;from=00000000000003118147',
      'must not be after the SCN',
    ],
    ['an SCN past 8 bytes', '99999999999999999999;from=00000000000000000001', 'exceeds the largest SCN'],
    ['an LSN from another source', '0000000000000016:00000000', 'malformed Oracle offset'],
    ['an empty string', '', 'malformed Oracle offset'],
  ])('validateOffset refuses %s, saying what an offset looks like', (_title, offset, fragment) => {
    expect(validateOffset(offset)).toContain(fragment);
  });

  it('validateOffset accepts every form it formats', () => {
    expect(validateOffset('00000000000003118146:02001F00C0020000')).toBeNull();
    expect(validateOffset('00000000000003118146:02001F00C0020000;from=00000000000003118125')).toBeNull();
    expect(validateOffset('00000000000003081987;from=00000000000003081987')).toBeNull();
  });

  it('refuses to format what it could not parse back', () => {
    expect(() => formatOffset({ scn: '12' })).toThrow(/needs a resume SCN/);
    expect(() => formatOffset({ scn: '12', xid: 'xyz' })).toThrow(/not an Oracle XID/);
    expect(() => formatOffset({ scn: '-1', resumeScn: '0' })).toThrow(/not an Oracle SCN/);
    expect(() => formatOffset({ scn: '5', resumeScn: '6' })).toThrow(/after SCN 5/);
  });

  it("maps SynchDB's Debezium offset onto a checkpoint", () => {
    expect(
      fromDebeziumOffset({
        commit_scn: '3118146:1:02001f00c0020000',
        snapshot_scn: '3081987',
        scn: '3118125',
      } as never),
    ).toBe('00000000000003118146:02001F00C0020000;from=00000000000003118125');
    expect(
      fromDebeziumOffset({ commit_scn: '3118146:1:0A00000000000001-0100000000000009', scn: '3118125' }),
    ).toBe('00000000000003118146:0A00000000000001;from=00000000000003118125');
    expect(fromDebeziumOffset({ scn: '3081987' })).toBe('00000000000003081987;from=00000000000003081987');
    expect(() => fromDebeziumOffset({ commit_scn: '1:1:00,2:2:00', scn: '1' })).toThrow(/RAC/);
  });
});
