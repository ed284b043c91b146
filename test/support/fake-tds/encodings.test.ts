import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.js';
import { parseColumnType } from './column-type.js';
import { formatWireDecimal, toWireDecimal } from './decimal.js';
import { deobfuscatePassword } from './login7.js';
import { framePackets, PacketAssembler, STATUS_EOM } from './packet.js';
import { Encryption, negotiateEncryption } from './prelogin.js';
import { dateFromDays, daysSinceYearOne, formatTime, parseInstant, toUtc } from './temporal.js';
import { guidBytes, writeValue } from './value-encoder.js';

describe('fake TDS encodings', () => {
  it('frames a message at the packet size and reassembles it from any cut of the byte stream', () => {
    const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    const packets = framePackets(0x04, payload, 512);
    expect(packets.map((p) => p.length)).toEqual([512, 512, 512, 512, 512, 3000 - 5 * 504 + 8]);
    expect(packets.map((p) => p[1])).toEqual([0, 0, 0, 0, 0, STATUS_EOM]);
    const stream = Buffer.concat([...packets, ...framePackets(0x06, Buffer.alloc(0), 512)]);
    for (const cut of [1, 7, 8, 9, 511, 513, 1700]) {
      const assembler = new PacketAssembler();
      const messages = [];
      for (let at = 0; at < stream.length; at += cut)
        messages.push(...assembler.push(stream.subarray(at, at + cut)));
      expect(messages.map((m) => [m.type, m.payload.length])).toEqual([
        [0x04, 3000],
        [0x06, 0],
      ]);
      expect(messages[0]?.payload.equals(payload)).toBe(true);
    }
  });

  it('de-obfuscates a LOGIN7 password (XOR 0xA5, nibbles swapped)', () => {
    const scrambled = Buffer.from(
      Buffer.from('s3cr\u00e9t', 'utf16le').map((b) => (((b & 0x0f) << 4) | (b >> 4)) ^ 0xa5),
    );
    expect(deobfuscatePassword(scrambled).toString('utf16le')).toBe('s3cr\u00e9t');
  });

  it('scales decimals exactly, 38 digits and negatives included, and refuses extra fractional digits', () => {
    expect(toWireDecimal('-12345678901234567890123456789.012345678', 9)).toEqual({
      positive: false,
      magnitude: 12345678901234567890123456789012345678n,
    });
    expect(toWireDecimal('5', 2)).toEqual({ positive: true, magnitude: 500n });
    expect(toWireDecimal('-0.00', 2).positive).toBe(true);
    expect(() => toWireDecimal('1.234', 2)).toThrow(/fractional digits/);
    expect(formatWireDecimal({ positive: false, magnitude: 5n }, 4)).toBe('-0.0005');
  });

  it('counts days from 0001-01-01 and parses times to 100 ns ticks', () => {
    expect(daysSinceYearOne(1, 1, 1)).toBe(0);
    expect(daysSinceYearOne(1900, 1, 1)).toBe(693595);
    expect(dateFromDays(daysSinceYearOne(9999, 12, 31))).toBe('9999-12-31');
    expect(parseInstant('2024-02-29 23:59:59.1234567')).toEqual({
      days: daysSinceYearOne(2024, 2, 29),
      ticks: 86399 * 10_000_000 + 1234567,
      offsetMinutes: 0,
    });
    expect(formatTime(1234567, 7)).toBe('00:00:00.1234567');
    expect(formatTime(86399_123, 3)).toBe('23:59:59.123');
  });

  it('moves a datetimeoffset to UTC across midnight, keeping its offset', () => {
    const utc = toUtc(parseInstant('2024-01-01 02:00:00 +05:30'));
    expect(dateFromDays(utc.days)).toBe('2023-12-31');
    expect(formatTime(utc.ticks, 7)).toBe('20:30:00.0000000');
    expect(utc.offsetMinutes).toBe(330);
  });

  it('writes GUIDs with the first three groups little-endian', () => {
    expect(guidBytes('6F9619FF-8B86-D011-B42D-00C04FC964FF').toString('hex')).toBe(
      'ff19966f868b11d0b42d00c04fc964ff',
    );
  });

  it('writes NULLs per type family: u8 0, u16 0xFFFF, PLP 0xFFFFFFFFFFFFFFFF', () => {
    const encode = (type: string) => {
      const w = new ByteWriter();
      writeValue(parseColumnType(type), null, w);
      return w.toBuffer().toString('hex');
    };
    expect(encode('int')).toBe('00');
    expect(encode('datetime2(7)')).toBe('00');
    expect(encode('binary(10)')).toBe('ffff');
    expect(encode('nvarchar(max)')).toBe('ffffffffffffffff');
  });

  it('negotiates ENCRYPTION like SQL Server for each configured server mode', () => {
    expect(negotiateEncryption('on', Encryption.on)).toEqual({ answer: 'on', tls: true, close: false });
    expect(negotiateEncryption('on', Encryption.notSupported)).toEqual({
      answer: 'notSupported',
      tls: false,
      close: false,
    });
    expect(negotiateEncryption('required', Encryption.notSupported)).toEqual({
      answer: 'required',
      tls: false,
      close: true,
    });
    expect(negotiateEncryption('notSupported', Encryption.on)).toEqual({
      answer: 'notSupported',
      tls: false,
      close: false,
    });
  });
});
