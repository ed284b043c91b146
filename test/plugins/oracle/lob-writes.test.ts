import { describe, expect, it } from 'vitest';
import {
  LobValue,
  parseLobLocator,
  parseLobTrim,
  parseLobWrite,
} from '../../../plugins/oracle/logminer/lob-writes.js';

// The SQL_REDO forms of LOB operations as LogMiner readers document them (not yet recorded here).
const LOCATOR = `DECLARE \n loc_c CLOB; \n buf_c VARCHAR2(6426);\n loc_b BLOB; \n buf_b RAW(6426);\nBEGIN\n select "NOTE" into loc_c from "APP"."T" where "ID" = '1' and "NAME" = 'it''s' for update;\nEND;`;

describe('Oracle LOB operations', () => {
  it('reads the row and column of a locator selection', () => {
    expect(parseLobLocator(LOCATOR)).toEqual({
      schema: 'APP',
      table: 'T',
      column: 'NOTE',
      binary: false,
      row: { ID: { form: 'string', text: '1' }, NAME: { form: 'string', text: "it's" } },
    });
    expect(
      parseLobLocator(`BEGIN select "B" into loc_b from "APP"."My ""T""" where "ID" = '2' for update; END;`),
    ).toMatchObject({ table: 'My "T"', column: 'B', binary: true });
  });

  it.each([
    [
      " buf_c := 'Hello World';\n  dbms_lob.write(loc_c, 11, 1, buf_c);",
      { form: 'string', text: 'Hello World' },
      11,
      1,
    ],
    [
      " buf_c := 'it''s; dbms';\n  dbms_lob.write(loc_c, 10, 6, buf_c);",
      { form: 'string', text: "it's; dbms" },
      10,
      6,
    ],
    [
      " buf_b := HEXTORAW('48656C6C6F');\n  dbms_lob.write(loc_b, 5, 1, buf_b);",
      { form: 'hex', text: '48656C6C6F' },
      5,
      1,
    ],
    [
      " buf_c := UNISTR('\\00e9t\\00e9');\n  dbms_lob.write(loc_c, 3, 4001, buf_c);",
      { form: 'unistr', text: 'été' },
      3,
      4001,
    ],
  ])('reads the data, length and offset of %j', (sql, data, length, offset) => {
    expect(parseLobWrite(sql)).toEqual({ data, length, offset });
  });

  it('reads a trim and refuses what is not a LOB operation', () => {
    expect(parseLobTrim(' dbms_lob.trim(loc_c, 5);')).toBe(5);
    expect(() => parseLobWrite('not a lob write')).toThrow(/not a LOB write/);
    expect(() => parseLobLocator('select 1 from dual')).toThrow(/not a LOB locator/);
  });

  it('assembles text writes at their offsets, overwriting, extending and trimming', () => {
    const value = new LobValue(false);
    value.write('Hello ', 1);
    value.write('World', 7);
    value.write('J', 7);
    expect(value.value()).toBe('Hello Jorld');
    value.write('!', 14);
    expect(value.value()).toBe('Hello Jorld  !');
    value.trim(5);
    expect(value.value()).toBe('Hello');
  });

  it('assembles binary writes by byte offset', () => {
    const value = new LobValue(true);
    value.write(Buffer.from([1, 2, 3]), 1);
    value.write(Buffer.from([9]), 5);
    expect(value.value()).toEqual(Buffer.from([1, 2, 3, 0, 9]));
  });

  it('zero-fills a binary gap left by a trim, and assembles many chunks in order', () => {
    const value = new LobValue(true);
    value.write(Buffer.from([1, 2, 3, 4, 5]), 1);
    value.trim(2);
    value.write(Buffer.from([7]), 5);
    expect(value.value()).toEqual(Buffer.from([1, 2, 0, 0, 7]));

    const chunks = new LobValue(true);
    for (let at = 0; at < 1000; at += 1) chunks.write(Buffer.from([at % 256]), at + 1);
    expect(chunks.value()).toEqual(Buffer.from(Array.from({ length: 1000 }, (_, at) => at % 256)));
  });
});
