import { describe, expect, inject, it } from 'vitest';
import { errorCode, gql } from '../support/graphql-http.js';
import { useFileServer } from '../support/test-runtime.js';

const TRANSLATE = `query ($sourceType: String!, $type: String!, $length: Int, $scale: Int, $precision: Int) {
  translateDataType(sourceType: $sourceType, type: $type, length: $length, scale: $scale, precision: $precision)
}`;

const harness = useFileServer(inject('targetClusterUrl'));

const translate = (variables: Record<string, unknown>) =>
  gql<{ translateDataType: string }>(harness.server.url, TRANSLATE, variables);

describe('translateDataType', () => {
  it.each([
    [{ sourceType: 'mysql', type: 'int unsigned|true' }, 'serial'],
    [{ sourceType: 'mysql', type: 'DECIMAL', length: 10, scale: 2 }, 'decimal(10,2)'],
    [{ sourceType: 'mysql', type: 'datetime', precision: 6 }, 'timestamp(6)'],
    [{ sourceType: 'postgres', type: 'character varying', length: 20 }, 'character varying(20)'],
    [{ sourceType: 'postgres', type: 'numeric', precision: 10, scale: 2 }, 'numeric(10,2)'],
    [{ sourceType: ' Memory ', type: 'json' }, 'jsonb'],
    [{ sourceType: 'sqlserver', type: 'datetime2', precision: 7 }, 'timestamp(6)'],
    // Sources whose capture is not built yet answer from their own maps.
    [{ sourceType: 'Oracle', type: 'number', precision: 10, scale: 0 }, 'bigint'],
  ])('answers %j with %s', async (variables, expected) => {
    const result = await translate(variables);
    expect(result.errors).toBeUndefined();
    expect(result.data?.translateDataType).toBe(expected);
  });

  it('refuses an unknown source type as UNSUPPORTED, naming the known ones', async () => {
    const result = await translate({ sourceType: 'db2', type: 'integer' });
    expect(errorCode(result)).toBe('UNSUPPORTED');
    expect(result.errors?.[0]?.message).toMatch(/unknown source type "db2".*mysql/);
    expect(result.errors?.[0]?.message).toMatch(/memory, oracle, sqlserver$/);
  });

  it('does not list the sources that only have a type map in sourceTypes', async () => {
    const result = await gql<{ sourceTypes: { id: string }[] }>(harness.server.url, '{ sourceTypes { id } }');
    expect(result.errors).toBeUndefined();
    const ids = result.data?.sourceTypes.map((type) => type.id);
    expect(ids).toContain('mysql');
    expect(ids).toEqual(expect.arrayContaining(['sqlserver', 'oracle']));
  });

  it('refuses an empty type as INVALID_INPUT', async () => {
    const result = await translate({ sourceType: 'mysql', type: ' ' });
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/type must name a source data type/);
  });

  it('refuses a scale larger than the precision as INVALID_INPUT', async () => {
    const result = await translate({ sourceType: 'postgres', type: 'numeric', precision: 3, scale: 5 });
    expect(errorCode(result)).toBe('INVALID_INPUT');
  });
});
