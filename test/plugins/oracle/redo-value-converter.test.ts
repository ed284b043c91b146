import { describe, expect, it } from 'vitest';
import type { SourceValue } from '../../../core/plugin/index.js';
import { RedoValueError } from '../../../plugins/oracle/logminer/redo-errors.js';
import type { RedoLiteral } from '../../../plugins/oracle/logminer/redo-literal.js';
import { convertRedoImage, convertRedoValue } from '../../../plugins/oracle/logminer/redo-value-converter.js';
import { parseSqlRedo } from '../../../plugins/oracle/logminer/sql-redo-parser.js';

/** [Oracle DATA_TYPE, literal, destination value] */
type Case = readonly [string, RedoLiteral, SourceValue];

const s = (text: string): RedoLiteral => ({ form: 'string', text });

const CASES: readonly Case[] = [
  ['NUMBER', s('12.5'), '12.5'],
  ['NUMBER(38)', s('-99999999999999999999999999999999999999'), '-99999999999999999999999999999999999999'],
  ['NUMBER', s('123456789012345678901234567890.12'), '123456789012345678901234567890.12'],
  ['NUMBER', s('-0.00001'), '-0.00001'],
  ['NUMBER', s('1E+125'), '1E+125'],
  ['NUMBER(10,2)', { form: 'number', text: '.5' }, '.5'],
  ['NUMBER', s(''), null],
  ['NUMBER', { form: 'null' }, null],
  ['FLOAT(126)', s('3.14159'), '3.14159'],
  ['BINARY_DOUBLE', { form: 'number', text: '1.5E+000' }, 1.5],
  ['BINARY_DOUBLE', { form: 'number', text: '3.0000000000000004E-001' }, 0.30000000000000004],
  ['BINARY_FLOAT', { form: 'number', text: '3.14000010E+000' }, 3.14],
  ['BINARY_FLOAT', s('-1.17549435E-038'), -1.1754944e-38],
  ['BINARY_DOUBLE', { form: 'float-special', text: 'BINARY_DOUBLE_NAN' }, 'NaN'],
  ['BINARY_DOUBLE', { form: 'float-special', text: 'BINARY_DOUBLE_INFINITY' }, 'Infinity'],
  ['BINARY_DOUBLE', { form: 'float-special', text: '-BINARY_DOUBLE_INFINITY' }, '-Infinity'],
  ['BINARY_FLOAT', { form: 'float-special', text: 'BINARY_FLOAT_NAN' }, 'NaN'],
  ['BINARY_FLOAT', s('Nan'), 'NaN'],
  ['BINARY_FLOAT', s('-Inf'), '-Infinity'],
  [
    'DATE',
    { form: 'date', text: '2024-01-02 03:04:05', mask: 'YYYY-MM-DD HH24:MI:SS' },
    '2024-01-02 03:04:05',
  ],
  ['DATE', { form: 'date', text: '15-MAY-21', mask: 'DD-MON-RR' }, '2021-05-15 00:00:00'],
  ['DATE', { form: 'date', text: '15-MAY-87', mask: 'DD-MON-RR' }, '1987-05-15 00:00:00'],
  [
    'DATE',
    { form: 'date', text: '02/29/2024 11:30:00 PM', mask: 'MM/DD/YYYY HH:MI:SS AM' },
    '2024-02-29 23:30:00',
  ],
  ['DATE', { form: 'hex', text: '78640c1f183c3c' }, '2000-12-31 23:59:59'],
  [
    'TIMESTAMP(9)',
    { form: 'timestamp', text: '2024-01-02 03:04:05.123456789' },
    '2024-01-02 03:04:05.123456',
  ],
  [
    'TIMESTAMP(9)',
    { form: 'timestamp', text: '2024-12-31 23:59:59.999999999' },
    '2024-12-31 23:59:59.999999',
  ],
  ['TIMESTAMP(6)', { form: 'timestamp', text: '2024-01-02 03:04:05.100000' }, '2024-01-02 03:04:05.1'],
  ['TIMESTAMP', { form: 'timestamp', text: '2024-01-02 03:04:05' }, '2024-01-02 03:04:05'],
  ['TIMESTAMP(9)', { form: 'hex', text: '787c0102040506075bcd15' }, '2024-01-02 03:04:05.123456'],
  [
    'TIMESTAMP(6) WITH TIME ZONE',
    { form: 'timestamp-tz', text: '2024-01-02 03:04:05.123456789 +02:00' },
    '2024-01-02 03:04:05.123456+02:00',
  ],
  [
    'TIMESTAMP(6) WITH TIME ZONE',
    { form: 'timestamp-tz', text: '2024-01-02 03:04:05 -5:30' },
    '2024-01-02 03:04:05-05:30',
  ],
  [
    'TIMESTAMP WITH TIME ZONE',
    { form: 'timestamp-tz', text: '2024-07-01 12:00:00.5 Europe/Paris CEST' },
    '2024-07-01 12:00:00.5 Europe/Paris',
  ],
  [
    'TIMESTAMP(6) WITH LOCAL TIME ZONE',
    { form: 'timestamp', text: '2024-01-02 03:04:05.5' },
    '2024-01-02 03:04:05.5+00:00',
  ],
  ['INTERVAL YEAR(2) TO MONTH', { form: 'ym-interval', text: '+01-02' }, 'P1Y2M'],
  ['INTERVAL YEAR(2) TO MONTH', { form: 'ym-interval', text: '-01-02' }, 'P-1Y-2M'],
  ['INTERVAL DAY(2) TO SECOND(6)', { form: 'ds-interval', text: '+01 02:03:04.567000' }, 'P1DT2H3M4.567S'],
  [
    'INTERVAL DAY(2) TO SECOND(9)',
    { form: 'ds-interval', text: '-00 00:00:01.123456789' },
    'P-0DT-0H-0M-1.123456S',
  ],
  ['RAW(16)', { form: 'hex', text: '0A0B' }, Buffer.from([10, 11])],
  ['BLOB', { form: 'empty-blob' }, Buffer.alloc(0)],
  ['BLOB', { form: 'hex', text: 'ff4a' }, Buffer.from([0xff, 0x4a])],
  ['CLOB', { form: 'empty-clob' }, ''],
  ['VARCHAR2(20)', s("it's"), "it's"],
  ['VARCHAR2(20)', s(''), null],
  ['NVARCHAR2(20)', { form: 'unistr', text: 'été😀' }, 'été😀'],
  ['NCHAR(3)', { form: 'unistr', text: '' }, null],
  ['CHAR(5)', s('ab   '), 'ab   '],
];

/** [Oracle DATA_TYPE, literal, message fragment] */
const REFUSED: readonly (readonly [string, RedoLiteral, string])[] = [
  ['LONG', { form: 'unsupported' }, 'Unsupported Type'],
  ['NUMBER', s('12,5'), 'is not a number'],
  ['NUMBER', { form: 'float-special', text: 'BINARY_DOUBLE_NAN' }, 'not BINARY_FLOAT/DOUBLE'],
  ['DATE', { form: 'date', text: '2024-02-30 00:00:00' }, 'not a valid date'],
  ['DATE', { form: 'date', text: '2024-01-02', mask: 'YYYY-DDD' }, 'is not supported'],
  ['DATE', { form: 'date', text: '2024-01-02 03', mask: 'YYYY-MM-DD' }, 'text left over'],
  ['TIMESTAMP', { form: 'timestamp', text: '02-JAN-24 03.04.05.123 AM' }, 'expected a timestamp like'],
  ['TIMESTAMP', { form: 'timestamp-tz', text: '2024-01-02 03:04:05 +02:00' }, 'without time zone'],
  ['INTERVAL DAY TO SECOND', { form: 'ym-interval', text: '+01-02' }, 'not INTERVAL YEAR TO MONTH'],
  ['RAW', { form: 'hex', text: 'abc' }, 'not hexadecimal'],
  ['RAW', s('abc'), 'quoted string in a binary column'],
  ['VARCHAR2(10)', { form: 'empty-blob' }, 'EMPTY_BLOB() in a non-binary column'],
  ['DATE', { form: 'hex', text: '7878' }, 'expected 7 or 11 bytes'],
];

describe('convertRedoValue', () => {
  it.each(CASES)('converts a %s value %j to %j', (dataType, literal, expected) => {
    expect(convertRedoValue(literal, dataType, 'S.T', 'C')).toEqual(expected);
  });

  it.each(REFUSED)(
    'refuses a %s value %j with a RedoValueError naming the column',
    (dataType, literal, fragment) => {
      try {
        convertRedoValue(literal, dataType, 'DBZUSER.ORDERS', 'NOTE');
        expect.unreachable('conversion should have failed');
      } catch (error) {
        expect(error).toBeInstanceOf(RedoValueError);
        expect((error as Error).message).toContain('DBZUSER.ORDERS.NOTE');
        expect((error as Error).message).toContain(fragment);
      }
    },
  );
});

describe('convertRedoImage', () => {
  const types = new Map([
    ['ID', 'NUMBER(10)'],
    ['NOTE', 'VARCHAR2(20)'],
    ['DOC', 'LONG'],
  ]);

  it('leaves an unsupported old value out of the before image', () => {
    const statement = parseSqlRedo(
      `delete from "S"."T" where "ID" = '1' and "NOTE" = '' and "DOC" = Unsupported Type;`,
    );
    expect(convertRedoImage(statement.before ?? {}, types, 'S.T', 'before')).toEqual({ ID: '1', NOTE: null });
  });

  it('leaves an unchanged unsupported column out of an update after image', () => {
    const statement = parseSqlRedo(
      `update "S"."T" set "NOTE" = 'b' where "ID" = '1' and "NOTE" = 'a' and "DOC" = Unsupported Type;`,
    );
    expect(convertRedoImage(statement.after ?? {}, types, 'S.T', 'after')).toEqual({ ID: '1', NOTE: 'b' });
  });

  it('refuses an unsupported inserted value, naming the column', () => {
    const statement = parseSqlRedo(`insert into "S"."T"("ID","DOC") values ('1',Unsupported Type);`);
    expect(() => convertRedoImage(statement.after ?? {}, types, 'S.T', 'after')).toThrow(
      /column S\.T\.DOC: .*Unsupported Type/,
    );
  });

  it('refuses a column the cached description does not have', () => {
    const statement = parseSqlRedo(`insert into "S"."T"("ID","NEW") values ('1','x');`);
    expect(() => convertRedoImage(statement.after ?? {}, types, 'S.T', 'after')).toThrow(
      /S\.T\.NEW: not a column/,
    );
  });
});
