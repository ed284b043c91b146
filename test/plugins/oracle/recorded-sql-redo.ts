import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { SourceValue } from '../../../core/plugin/index.js';
import { convertRedoImage } from '../../../plugins/oracle/logminer/redo-value-converter.js';
import { parseSqlRedo } from '../../../plugins/oracle/logminer/sql-redo-parser.js';

/** A value as the fixture file writes it: JSON, with binary as `{ "hex": "0a0b" }`. */
export type FixtureValue = string | number | boolean | null | { readonly hex: string };

export interface RecordedCase {
  readonly title: string;
  /** The statement run on table RECORDED (unqualified) to produce the redo. */
  readonly statement: string;
  /** Its SQL_REDO, continuation rows joined, the schema written as `S`. */
  readonly sqlRedo: string;
  readonly op: 'insert' | 'update' | 'delete';
  /** Converted values the redo must give (only the columns named; others are not checked). */
  readonly before?: Readonly<Record<string, FixtureValue>>;
  readonly after?: Readonly<Record<string, FixtureValue>>;
}

export interface RecordedFixtures {
  readonly about: string;
  /** `V$VERSION` banner of the server the texts were mined from; null: hand-written, never recorded. */
  readonly recordedFrom: string | null;
  /** RECORDED's columns and their `ALL_TAB_COLS.DATA_TYPE`, lower-cased. */
  readonly columns: Readonly<Record<string, string>>;
  readonly cases: readonly RecordedCase[];
}

const FILE = new URL('./fixtures/recorded-sql-redo.json', import.meta.url);

export function readFixtures(): RecordedFixtures {
  return JSON.parse(readFileSync(FILE, 'utf8')) as RecordedFixtures;
}

export function writeFixtures(fixtures: RecordedFixtures): void {
  writeFileSync(FILE, `${JSON.stringify(fixtures, null, 2)}\n`);
}

/** A converted value in the fixture's JSON form. */
export function fixtureValue(value: SourceValue | undefined): FixtureValue | undefined {
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value as FixtureValue | undefined;
}

/** Asserts that `sqlRedo` parses into the case's operation and converts into its values. */
export function expectRedoOfCase(
  c: RecordedCase,
  sqlRedo: string,
  columns: Readonly<Record<string, string>>,
): void {
  const types = new Map(Object.entries(columns));
  const statement = parseSqlRedo(sqlRedo);
  expect(statement.op).toBe(c.op);
  expect(statement.table).toBe('RECORDED');
  for (const side of ['before', 'after'] as const) {
    const expected = c[side];
    if (expected === undefined) continue;
    const image = statement[side];
    expect(image, side).toBeDefined();
    const values = convertRedoImage(image ?? {}, types, 'S.RECORDED', side);
    const picked = Object.fromEntries(
      Object.keys(expected).map((column) => [column, fixtureValue(values[column])]),
    );
    expect(picked, side).toEqual(expected);
  }
}
