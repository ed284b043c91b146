import { describe, expect, it } from 'vitest';
import { DictionaryMismatchError, RedoParseError } from '../../../plugins/oracle/logminer/redo-errors.js';
import type { RedoLiteral, RedoStatement } from '../../../plugins/oracle/logminer/redo-literal.js';
import { parseSqlRedo } from '../../../plugins/oracle/logminer/sql-redo-parser.js';

const str = (text: string): RedoLiteral => ({ form: 'string', text });
const uni = (text: string): RedoLiteral => ({ form: 'unistr', text });
const num = (text: string): RedoLiteral => ({ form: 'number', text });
const NULL: RedoLiteral = { form: 'null' };
const UNSUPPORTED: RedoLiteral = { form: 'unsupported' };

/** [title, SQL_REDO, expected statement] */
type Case = readonly [string, string, RedoStatement];

const insert = (after: Record<string, RedoLiteral>): RedoStatement => ({
  op: 'insert',
  schema: 'S',
  table: 'T',
  after,
});
const update = (before: Record<string, RedoLiteral>, after: Record<string, RedoLiteral>): RedoStatement => ({
  op: 'update',
  schema: 'S',
  table: 'T',
  before,
  after,
});
const remove = (before: Record<string, RedoLiteral>): RedoStatement => ({
  op: 'delete',
  schema: 'S',
  table: 'T',
  before,
});

const CASES: readonly Case[] = [
  // 1. every literal form in one insert
  [
    'an insert with every literal form',
    `insert into "S"."T"("N","Q","D","TS","TZ","YM","DS","R","U","C","B","X","L","BD1","BD2","BD3","F") values ('12.5','it''s',TO_DATE('2024-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS'),TO_TIMESTAMP('2024-01-02 03:04:05.123456789'),TO_TIMESTAMP_TZ('2024-01-02 03:04:05.123456789 +02:00'),TO_YMINTERVAL('+01-02'),TO_DSINTERVAL('+01 02:03:04.567000'),HEXTORAW('0a0b'),UNISTR('\\00e9t\\00e9'),EMPTY_CLOB(),EMPTY_BLOB(),NULL,Unsupported Type,BINARY_DOUBLE_NAN,BINARY_DOUBLE_INFINITY,-BINARY_DOUBLE_INFINITY,1.5E+000);`,
    insert({
      N: str('12.5'),
      Q: str("it's"),
      D: { form: 'date', text: '2024-01-02 03:04:05', mask: 'YYYY-MM-DD HH24:MI:SS' },
      TS: { form: 'timestamp', text: '2024-01-02 03:04:05.123456789' },
      TZ: { form: 'timestamp-tz', text: '2024-01-02 03:04:05.123456789 +02:00' },
      YM: { form: 'ym-interval', text: '+01-02' },
      DS: { form: 'ds-interval', text: '+01 02:03:04.567000' },
      R: { form: 'hex', text: '0a0b' },
      U: uni('été'),
      C: { form: 'empty-clob' },
      B: { form: 'empty-blob' },
      X: NULL,
      L: UNSUPPORTED,
      BD1: { form: 'float-special', text: 'BINARY_DOUBLE_NAN' },
      BD2: { form: 'float-special', text: 'BINARY_DOUBLE_INFINITY' },
      BD3: { form: 'float-special', text: '-BINARY_DOUBLE_INFINITY' },
      F: num('1.5E+000'),
    }),
  ],
  [
    'unquoted numbers in all spellings',
    `insert into "S"."T"("A","B","C","D") values (-0.00001,1E+125,.5,42)`,
    insert({ A: num('-0.00001'), B: num('1E+125'), C: num('.5'), D: num('42') }),
  ],
  [
    'quoted numbers kept exact',
    `insert into "S"."T"("A","B") values ('123456789012345678901234567890.12','-1E+20');`,
    insert({ A: str('123456789012345678901234567890.12'), B: str('-1E+20') }),
  ],
  [
    'binary float specials',
    `insert into "S"."T"("A","B") values (BINARY_FLOAT_NAN, -BINARY_FLOAT_INFINITY);`,
    insert({
      A: { form: 'float-special', text: 'BINARY_FLOAT_NAN' },
      B: { form: 'float-special', text: '-BINARY_FLOAT_INFINITY' },
    }),
  ],
  // 2. punctuation and keywords inside quotes
  [
    'an update whose SET values hold , and where ( ) ; || and "',
    `update "S"."T" set "A" = 'a, b and c where (x); y||z "q"', "B" = ')' where "K" = '1' and "A" = 'old';`,
    update(
      { K: str('1'), A: str('old') },
      { K: str('1'), A: str('a, b and c where (x); y||z "q"'), B: str(')') },
    ),
  ],
  // 3. column order different from the table
  [
    'an update listing columns in another order',
    `update "S"."T" set "C" = '3', "A" = '1' where "B" = '2' and "C" = '0' and "A" = '9';`,
    update({ B: str('2'), C: str('0'), A: str('9') }, { B: str('2'), C: str('3'), A: str('1') }),
  ],
  // 4. set to NULL, IS NULL conditions
  [
    'an update setting NULL with IS NULL conditions',
    `update "S"."T" set "A" = NULL where "K" = '1' and "A" = 'x' and "B" IS NULL;`,
    update({ K: str('1'), A: str('x'), B: NULL }, { K: str('1'), A: NULL, B: NULL }),
  ],
  // 5. no WHERE
  ['an update with no WHERE clause', `update "S"."T" set "A" = 'y';`, update({}, { A: str('y') })],
  // 6. table alias
  [
    'an update with a table alias',
    `update "S"."T" a set a."C1" = '1' where a."C2" = '2';`,
    update({ C2: str('2') }, { C2: str('2'), C1: str('1') }),
  ],
  [
    'a ROWID condition left out of the old image',
    `update "S"."T" set "A" = 'y' where "A" = 'x' and "B" IS NULL and ROWID = 'AAAR4nAAHAAAACHAAA';`,
    update({ A: str('x'), B: NULL }, { A: str('y'), B: NULL }),
  ],
  [
    'an unsupported old value is left out of the new image',
    `update "S"."T" set "A" = 'y' where "K" = '1' and "L" = Unsupported Type;`,
    update({ K: str('1'), L: UNSUPPORTED }, { K: str('1'), A: str('y') }),
  ],
  // 7. delete with IS NULL and Unsupported Type
  [
    'a delete with IS NULL and Unsupported Type',
    `delete from "S"."T" where "K" = '1' and "B" IS NULL and "L" = Unsupported Type;`,
    remove({ K: str('1'), B: NULL, L: UNSUPPORTED }),
  ],
  ['a delete with an alias and no WHERE', `delete from "S"."T" t`, remove({})],
  // 8. no trailing semicolon
  [
    'an insert without a trailing semicolon',
    `insert into "S"."T"("A") values ('x')`,
    insert({ A: str('x') }),
  ],
  ['a delete without a trailing semicolon', `delete from "S"."T" where "A" = '1'`, remove({ A: str('1') })],
  // 9. identifiers
  [
    'identifiers with spaces, lower case, "" and Unicode',
    `insert into "S"."T"("My Col","col""x","naïve","日本") values ('1','2','3','4');`,
    insert({ 'My Col': str('1'), 'col"x': str('2'), naïve: str('3'), 日本: str('4') }),
  ],
  [
    'schema and table with "" and Unicode',
    `insert into "Sch""ema"."Tä ble"("A") values (NULL);`,
    { op: 'insert', schema: 'Sch"ema', table: 'Tä ble', after: { A: NULL } },
  ],
  [
    'a column named __proto__',
    `insert into "S"."T"("__proto__") values ('p');`,
    insert({ ['__proto__']: str('p') }),
  ],
  // 10. UNISTR
  [
    'UNISTR pieces joined with ||',
    `insert into "S"."T"("A") values (UNISTR('\\0412\\044B') || UNISTR('\\043F\\043E'));`,
    insert({ A: uni('Вып' + 'о') }),
  ],
  [
    'UNISTR with a surrogate pair',
    `insert into "S"."T"("A") values (UNISTR('x\\D83D\\DE00y'));`,
    insert({ A: uni('x😀y') }),
  ],
  [
    'UNISTR containing parentheses and a backslash',
    `insert into "S"."T"("A") values (UNISTR('(a)\\\\b'));`,
    insert({ A: uni('(a)\\b') }),
  ],
  [
    'a quoted string joined with UNISTR',
    `insert into "S"."T"("A") values ('ab' || UNISTR('\\00e9'));`,
    insert({ A: uni('abé') }),
  ],
  // 11. quote-only values
  [
    'a value that is one apostrophe and an empty string',
    `update "S"."T" set "A" = '''' where "A" = '';`,
    update({ A: str('') }, { A: str("'") }),
  ],
  // 12. || inside quotes
  ['|| inside quotes is text', `insert into "S"."T"("A") values ('I||am');`, insert({ A: str('I||am') })],
  // 14. comments
  [
    'a /* JSON */ comment before values',
    `insert into "S"."T"("J","K") values (/* JSON */ HEXTORAW('ff4a'),/* JSON */ EMPTY_BLOB());`,
    insert({ J: { form: 'hex', text: 'ff4a' }, K: { form: 'empty-blob' } }),
  ],
  // 17. other date masks
  [
    'a date in another NLS mask keeps its mask',
    `insert into "S"."T"("D") values (TO_DATE('15-MAY-21', 'DD-MON-RR'));`,
    insert({ D: { form: 'date', text: '15-MAY-21', mask: 'DD-MON-RR' } }),
  ],
  [
    'a region-named TIMESTAMP WITH TIME ZONE',
    `insert into "S"."T"("Z") values (TO_TIMESTAMP_TZ('2024-07-01 12:00:00.5 Europe/Paris'));`,
    insert({ Z: { form: 'timestamp-tz', text: '2024-07-01 12:00:00.5 Europe/Paris' } }),
  ],
  [
    'keywords in any letter case and extra whitespace',
    `  INSERT   INTO "S" . "T" ( "A" , "B" )  VALUES ( null ,  'x' )  ;  `,
    insert({ A: NULL, B: str('x') }),
  ],
  [
    'newlines inside a quoted value',
    `update "S"."T" set "A" = 'line1\nline2' where "A" = 'x';`,
    update({ A: str('x') }, { A: str('line1\nline2') }),
  ],
];

/** [title, SQL_REDO, message fragment] */
const MALFORMED: readonly (readonly [string, string, string])[] = [
  ['an unknown statement', `merge into "S"."T"`, 'expected insert, update or delete'],
  ['an unterminated string', `insert into "S"."T"("A") values ('abc);`, 'unterminated quoted string'],
  ['an unterminated identifier', `insert into "S"."T`, 'unterminated quoted identifier'],
  ['fewer values than columns', `insert into "S"."T"("A","B") values ('a');`, 'expected ","'],
  ['more values than columns', `insert into "S"."T"("A") values ('a','b');`, 'expected ")"'],
  ['an unknown function', `insert into "S"."T"("A") values (SYS_GUID());`, 'unknown function SYS_GUID'],
  [
    'an unquoted function argument',
    `insert into "S"."T"("A") values (HEXTORAW(0a));`,
    'HEXTORAW arguments must be quoted',
  ],
  [
    'a wrong number of arguments',
    `insert into "S"."T"("A") values (HEXTORAW('0a','0b'));`,
    'HEXTORAW takes 1 quoted argument',
  ],
  [
    'text after the statement',
    `delete from "S"."T" where "A" = '1'; delete`,
    'unexpected text after the statement',
  ],
  ['a bare word as a value', `insert into "S"."T"("A") values (abc);`, 'expected a value'],
  ['a bad UNISTR escape', `insert into "S"."T"("A") values (UNISTR('\\00zz'));`, 'bad UNISTR escape'],
  [
    'an unterminated comment',
    `insert into "S"."T"("A") values (/* JSON HEXTORAW('00'));`,
    'unterminated comment',
  ],
  ['an unquoted table name', `insert into S.T("A") values ('a');`, 'expected a quoted identifier'],
  ['an empty statement', ``, 'expected insert, update or delete'],
  [
    'a dangling ||',
    `insert into "S"."T"("A") values ('a' || NULL);`,
    'expected a quoted string or UNISTR after ||',
  ],
];

describe('parseSqlRedo', () => {
  it.each(CASES)('parses %s', (_title, sqlRedo, expected) => {
    expect(parseSqlRedo(sqlRedo)).toEqual(expected);
  });

  it.each(MALFORMED)('refuses %s with a positioned RedoParseError', (_title, sqlRedo, fragment) => {
    const error = captureError(() => parseSqlRedo(sqlRedo));
    expect(error).toBeInstanceOf(RedoParseError);
    expect(error.message).toContain(fragment);
    expect((error as RedoParseError).position).toBeGreaterThanOrEqual(0);
  });

  it('refuses a row decoded without the dictionary with a DictionaryMismatchError', () => {
    const error = captureError(() =>
      parseSqlRedo(
        `insert into "UNKNOWN"."OBJ# 74858"("COL 1","COL 2") values (HEXTORAW('c102'),HEXTORAW('414243'));`,
      ),
    );
    expect(error).toBeInstanceOf(DictionaryMismatchError);
    expect(error.message).toContain('"UNKNOWN"."OBJ# 74858"');
    expect(error.message).toContain('new snapshot');
  });

  it('parses a very long value', () => {
    const text = "x'y,".repeat(10_000);
    const sqlRedo = `insert into "S"."T"("A") values ('${text.replaceAll("'", "''")}');`;
    expect(parseSqlRedo(sqlRedo)).toEqual(insert({ A: str(text) }));
  });
});

function captureError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
