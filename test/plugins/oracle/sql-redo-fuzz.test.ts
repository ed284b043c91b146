import { describe, expect, it } from 'vitest';
import { ContinuationJoiner } from '../../../plugins/oracle/logminer/continuation-joiner.js';
import type { LogMinerRow } from '../../../plugins/oracle/logminer/logminer-row.js';
import type { RedoLiteral, RedoStatement } from '../../../plugins/oracle/logminer/redo-literal.js';
import { parseSqlRedo } from '../../../plugins/oracle/logminer/sql-redo-parser.js';
import { renderSqlRedo, splitAt } from './support/sql-redo-renderer.js';

/** A small seeded PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "'",
  "''",
  '"',
  ',',
  ' and ',
  ' where ',
  ')',
  '(',
  ';',
  '||',
  ' IS NULL',
  'NULL',
  '/*',
  '*/',
  '\\',
  '\n',
  'é',
  '日本',
  '😀',
  'x',
  'set ',
  '= ',
  ' ',
];

function generator(seed: number) {
  const next = random(seed);
  const int = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const text = (maxPieces: number): string =>
    Array.from({ length: int(maxPieces) }, () => pick(PIECES)).join('');
  const digits = (count: number): string => Array.from({ length: count }, () => String(int(10))).join('');
  const two = (max: number): string => String(int(max)).padStart(2, '0');
  const literal = (): RedoLiteral => {
    switch (int(13)) {
      case 0:
        return { form: 'null' };
      case 1:
        return { form: 'unsupported' };
      case 2:
        return { form: 'unistr', text: text(12) };
      case 3:
        return {
          form: 'number',
          text: `${pick(['', '-'])}${digits(1 + int(30))}${pick(['', `.${digits(1 + int(9))}`])}${pick(['', 'E+125', 'E-007'])}`,
        };
      case 4:
        return {
          form: 'float-special',
          text: pick(['BINARY_DOUBLE_NAN', '-BINARY_DOUBLE_INFINITY', 'BINARY_FLOAT_INFINITY']),
        };
      case 5:
        return {
          form: 'hex',
          text: Buffer.from(Array.from({ length: int(40) }, () => int(256))).toString('hex'),
        };
      case 6:
        return {
          form: 'date',
          text: `20${two(100)}-${two(12)}-${two(28)} ${two(24)}:${two(60)}:${two(60)}`,
          mask: 'YYYY-MM-DD HH24:MI:SS',
        };
      case 7:
        return { form: 'timestamp', text: `2024-01-02 03:04:05.${digits(9)}` };
      case 8:
        return {
          form: 'timestamp-tz',
          text: `2024-01-02 03:04:05.${digits(9)} ${pick(['+02:00', '-11:30', 'Europe/Paris'])}`,
        };
      case 9:
        return pick([
          { form: 'ds-interval', text: `-${two(99)} ${two(24)}:${two(60)}:${two(60)}.${digits(6)}` },
          { form: 'ym-interval', text: `+${two(99)}-${two(12)}` },
        ]);
      case 10:
        return pick([{ form: 'empty-clob' }, { form: 'empty-blob' }]);
      default:
        return { form: 'string', text: text(int(3) === 0 ? 400 : 20) };
    }
  };
  const column = (index: number): string =>
    `${pick(['C', 'col', 'My Col', 'q"', 'é', 'and', 'where'])}${index}`;
  const image = (count: number, allow: (literal: RedoLiteral) => boolean): Record<string, RedoLiteral> => {
    const row: Record<string, RedoLiteral> = {};
    for (let index = 0; index < count; index++) {
      let value = literal();
      while (!allow(value)) value = literal();
      row[column(index)] = value;
    }
    return row;
  };
  const statement = (): RedoStatement => {
    const table = { schema: pick(['S', 'DBZUSER', 'Sch"ema']), table: pick(['T', 'ORDERS', 'tä ble']) };
    const width = 1 + int(8);
    const op = pick(['insert', 'update', 'delete'] as const);
    if (op === 'insert') return { op, ...table, after: image(width, () => true) };
    const before = image(width, (value) => value.form !== 'empty-clob' && value.form !== 'empty-blob');
    if (op === 'delete') return { op, ...table, before };
    const after: Record<string, RedoLiteral> = {};
    for (const [name, value] of Object.entries(before)) if (value.form !== 'unsupported') after[name] = value;
    for (const [name] of Object.entries(before)) if (int(2) === 0) after[name] = literal();
    after[Object.keys(before)[0] as string] = { form: 'string', text: `changed ${text(5)}` };
    return { op, ...table, before, after };
  };
  return { int, statement };
}

const row = (xid: string, sqlRedo: string, csf: boolean): LogMinerRow => ({
  scn: '100',
  xid,
  operationCode: 1,
  rollback: false,
  rowId: 'AAAR4nAAHAAAACHAAA',
  csf,
  sqlRedo,
  segOwner: 'S',
  tableName: 'T',
});

/** Feeds the pieces of two statements, interleaved, through a joiner; returns what it completes. */
function joinInterleaved(first: string[], second: string[]): string[] {
  const joiner = new ContinuationJoiner();
  const done: string[] = [];
  const feed = (xid: string, pieces: string[], index: number): void => {
    const piece = pieces[index];
    if (piece === undefined) return;
    const joined = joiner.push(row(xid, piece, index < pieces.length - 1));
    if (joined !== null) done.push(`${xid}:${joined.sqlRedo}`);
  };
  for (let index = 0; index < Math.max(first.length, second.length); index++) {
    feed('01', first, index);
    feed('02', second, index);
  }
  expect(joiner.waiting).toBe(0);
  return done.sort();
}

describe('SQL_REDO render-and-parse fuzz', () => {
  it('parses 3,000 seeded random statements back to what was rendered', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const { int, statement } = generator(seed);
      const expected = statement();
      const sqlRedo = renderSqlRedo(expected, 1 + int(3));
      expect(parseSqlRedo(sqlRedo), `seed ${seed}: ${sqlRedo}`).toEqual(expected);
    }
  });

  it('parses statements split into CSF pieces at random points, interleaved with another transaction', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { int, statement } = generator(seed * 7919);
      const one = statement();
      const two = statement();
      const textOne = renderSqlRedo(one);
      const textTwo = renderSqlRedo(two);
      const cuts = (text: string): number[] => Array.from({ length: int(6) }, () => int(text.length));
      const [joinedOne, joinedTwo] = joinInterleaved(
        splitAt(textOne, cuts(textOne)),
        splitAt(textTwo, cuts(textTwo)),
      );
      expect(parseSqlRedo((joinedOne as string).slice(3)), `seed ${seed}`).toEqual(one);
      expect(parseSqlRedo((joinedTwo as string).slice(3)), `seed ${seed}`).toEqual(two);
    }
  });

  it('joins a statement split at every 4,000 characters, inside a long value', () => {
    const text = "a'b, c and ".repeat(2000);
    const expected: RedoStatement = {
      op: 'insert',
      schema: 'S',
      table: 'T',
      after: { A: { form: 'string', text } },
    };
    const sqlRedo = renderSqlRedo(expected);
    const cuts = Array.from({ length: Math.floor(sqlRedo.length / 4000) }, (_, index) => (index + 1) * 4000);
    const pieces = splitAt(sqlRedo, cuts);
    expect(pieces.length).toBeGreaterThan(5);
    const [joined] = joinInterleaved(pieces, []);
    expect(parseSqlRedo((joined as string).slice(3))).toEqual(expected);
  });

  it('joins a split in the middle of a doubled quote and of a UNISTR escape', () => {
    const sqlRedo = `insert into "S"."T"("A","B") values ('it''s',UNISTR('\\00e9\\D83D\\DE00'));`;
    const quote = sqlRedo.indexOf("''") + 1;
    const inEscape = sqlRedo.indexOf('\\00e9') + 3;
    const surrogate = sqlRedo.indexOf('\\DE00');
    const [joined] = joinInterleaved(splitAt(sqlRedo, [quote, inEscape, surrogate]), []);
    expect(parseSqlRedo((joined as string).slice(3))).toEqual({
      op: 'insert',
      schema: 'S',
      table: 'T',
      after: { A: { form: 'string', text: "it's" }, B: { form: 'unistr', text: 'é😀' } },
    });
  });
});
