import { describe, it } from 'vitest';
import { expectRedoOfCase, readFixtures } from './recorded-sql-redo.js';

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
