import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { SourceEvent, SourceTable, SourceValue } from '../../../core/plugin/index.js';
import { RedoChanges } from '../../../plugins/oracle/logminer/redo-changes.js';
import { convertRedoImage } from '../../../plugins/oracle/logminer/redo-value-converter.js';
import { parseSqlRedo } from '../../../plugins/oracle/logminer/sql-redo-parser.js';
import type { CommittedTransaction } from '../../../plugins/oracle/logminer/transaction-buffer.js';

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

/** The LogMiner rows (operation code, SQL_REDO) of one statement writing a long LOB. */
export interface RecordedLobCase {
  readonly title: string;
  /** Creates RECORDED_LOB (unqualified). */
  readonly table: string;
  /** Inserts row 1 with BODY = 'a' + 3999 × 'b' + 'c' + 3999 × 'd'. */
  readonly statement: string;
  readonly rows: readonly { readonly op: number; readonly sqlRedo: string }[];
}

/** The BODY the LOB case's statement writes. */
export const LOB_CASE_BODY = `a${'b'.repeat(3999)}c${'d'.repeat(3999)}`;

export interface RecordedFixtures {
  readonly about: string;
  /** `V$VERSION` banner of the server the texts were mined from; null: hand-written, never recorded. */
  readonly recordedFrom: string | null;
  /** RECORDED's columns and their `ALL_TAB_COLS.DATA_TYPE`, lower-cased. */
  readonly columns: Readonly<Record<string, string>>;
  readonly cases: readonly RecordedCase[];
  readonly lobCase: RecordedLobCase;
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

const LOB_TABLE: SourceTable = {
  ref: { database: 'FREE', schema: 'S', name: 'RECORDED_LOB' },
  columns: [
    {
      name: 'ID',
      position: 1,
      type: 'number',
      length: null,
      precision: 9,
      scale: 0,
      nullable: false,
      autoIncrement: false,
    },
    {
      name: 'BODY',
      position: 2,
      type: 'clob',
      length: null,
      precision: null,
      scale: null,
      nullable: true,
      autoIncrement: false,
    },
  ],
  primaryKey: ['ID'],
};

/** The events the plugin makes of the LOB case's rows, as one committed transaction. */
export async function assembleLobRows(rows: RecordedLobCase['rows']): Promise<SourceEvent[]> {
  const changes = new RedoChanges(
    'S',
    { tables: [LOB_TABLE], signal: new AbortController().signal },
    async () => [],
  );
  const tx: CommittedTransaction = {
    xid: '0A00000000000001',
    startScn: '100',
    commitScn: '200',
    changeCount: rows.length,
    resumeScn: '100',
    async *changes() {
      for (const [index, row] of rows.entries())
        yield {
          scn: String(101 + index),
          operationCode: row.op,
          rowId: 'AAAR1',
          sqlRedo: row.sqlRedo,
          schema: 'S',
          table: 'RECORDED_LOB',
        };
    },
    discard() {},
  };
  const events: SourceEvent[] = [];
  for await (const event of changes.of(tx)) events.push(event);
  return events;
}
