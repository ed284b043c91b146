import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../../cli/print-schema.js';

describe('schema/schema.graphql', () => {
  it('matches the schema the server builds (run `npm run schema:print` after changing it)', async () => {
    const committed = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printedSchema());
  });
});
