import { describe, expect, it } from 'vitest';
import { assembleLobRows, expectRedoOfCase, LOB_CASE_BODY, readFixtures } from './recorded-sql-redo.js';

const fixtures = readFixtures();
const source = fixtures.recordedFrom ?? 'hand-written, not yet recorded from a server';

describe(`recorded SQL_REDO (${source})`, () => {
  it.each(fixtures.cases.map((c) => [c.title, c] as const))(
    'parses %s into the values the statement wrote',
    (_, c) => {
      expectRedoOfCase(c, c.sqlRedo, fixtures.columns);
    },
  );
});

describe(`recorded LOB operations (${source})`, () => {
  it(`assembles ${fixtures.lobCase.title} into the value the statement wrote`, async () => {
    expect(await assembleLobRows(fixtures.lobCase.rows)).toEqual([
      expect.objectContaining({ op: 'insert', after: { ID: 1, BODY: LOB_CASE_BODY } }),
    ]);
  });
});
