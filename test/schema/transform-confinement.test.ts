import { beforeAll, describe, expect, inject, it } from 'vitest';
import { checkTyped } from '../../core/mappings/transform-guard.js';
import { TargetDatabase } from '../../core/target/target-database.js';
import { errorCode, gql } from '../support/graphql-http.js';
import { useFileServer } from '../support/test-runtime.js';

const ADD = `mutation ($s: String!, $d: String!) {
  addObjectMapping(connector: "shop", kind: TRANSFORM, source: $s, destination: $d) { destination } }`;

const harness = useFileServer(inject('targetClusterUrl'));

beforeAll(async () => {
  const added = await gql(
    harness.server.url,
    'mutation ($i: AddConnectorInput!) { addConnector(input: $i) { name } }',
    {
      i: { name: 'shop', type: 'memory', host: 'h', port: 1, user: 'u', password: 'p', database: 'shop' },
    },
  );
  expect(added.errors).toBeUndefined();
  await harness.db.query(`
    CREATE TABLE public.secret_stuff (s text); INSERT INTO public.secret_stuff VALUES ('TOPSECRET');
    CREATE FUNCTION public.leak(v text) RETURNS text LANGUAGE sql VOLATILE
      AS $$ SELECT v || (SELECT string_agg(s, ',') FROM public.secret_stuff) $$;
    CREATE FUNCTION public.shout(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(v) $$;
    CREATE FUNCTION public.noisy(a text, b text) RETURNS text LANGUAGE plpgsql VOLATILE
      AS $$ BEGIN RETURN a || b; END $$;
    CREATE OPERATOR public.~~~> (LEFTARG = text, RIGHTARG = text, FUNCTION = public.noisy);`);
});

const stored = async () =>
  (await harness.db.query("SELECT destination FROM tributary.mapping_rules WHERE kind = 'transform'")).rows;

describe('transform confinement', () => {
  it.each([
    [
      "%d || (SELECT string_agg(s, ',') FROM public.secret_stuff)",
      /subquery "\(SELECT string_agg\(s, ','\) FROM/,
    ],
    ['pg_sleep(1)::text || %d', /volatile function "pg_sleep\(1\)"/],
    [
      "(SELECT 'x' FROM pg_terminate_backend(0))::text",
      /subquery "\(SELECT 'x' FROM pg_terminate_backend\(0\)\)"/,
    ],
    ['(SELECT relname FROM pg_class LIMIT 1)', /subquery "\(SELECT relname FROM pg_class LIMIT 1\)"/],
    ['%d || pg_terminate_backend(0)::text', /volatile function "pg_terminate_backend\(0\)"/],
    ["dblink('dbname=x', 'SELECT 1')", /dblink/],
    ["1); COPY public.secret_stuff TO PROGRAM 'id'; SELECT (1", /a second statement in "1\); COPY/],
    ["%d || '') FROM public.secret_stuff; --", /is not valid SQL|not a single expression/],
    ['leak(%d)', /volatile function "leak\(%d\)"/],
    ['random()::text || %d', /volatile function "random\(\)"/],
    ['now()::text', /stable function "now\(\)"/],
    ['current_user || %d', /function "current_user"/],
    ['%d || relname', /column reference "relname"/],
    ["%d || pg_read_file('/etc/passwd')", /volatile function "pg_read_file\('\/etc\/passwd'\)"/],
    ['%d || generate_series(1, 2)::text', /set-returning function "generate_series\(1, 2\)"/],
    ["'pg_authid'::regclass::text", /a cast to regclass/],
    ['%d || $1', /parameter "\$1"/],
  ])('refuses %s with a message naming the refused part, and stores nothing', async (expression, part) => {
    const before = await stored();
    const result = await gql(harness.server.url, ADD, { s: 'shop.t.c', d: expression });
    expect(errorCode(result)).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toMatch(part);
    expect(await stored()).toEqual(before);
  });

  it('records each refused transform in the audit trail with INVALID_INPUT', async () => {
    const { rows } = await harness.db.query(
      `SELECT arguments->>'destination' AS destination FROM tributary.audit_log
        WHERE mutation = 'addObjectMapping' AND outcome = 'INVALID_INPUT' ORDER BY id`,
    );
    expect(rows).toContainEqual({ destination: 'pg_sleep(1)::text || %d' });
    expect(rows).toContainEqual({ destination: '(SELECT relname FROM pg_class LIMIT 1)' });
    expect(rows.length).toBeGreaterThanOrEqual(17);
  });

  it('says what a transform may use when it refuses one', async () => {
    const result = await gql(harness.server.url, ADD, { s: 'shop.t.c', d: 'pg_sleep(1)::text || %d' });
    expect(result.errors?.[0]?.message).toBe(
      'transform refused: volatile function "pg_sleep(1)" is not allowed; a transform may use the value %d, literals, operators, casts, CASE, COALESCE, NULLIF, GREATEST, LEAST and immutable functions',
    );
  });

  it.each([
    '%d + 1000000',
    "'>>' || %d || '<<'",
    'upper(%d)',
    'round(%d::numeric, 2)',
    "CASE WHEN %d > 0 THEN 'positive' WHEN %d IS NULL THEN NULL ELSE 'other' END",
    "coalesce(nullif(%d, ''), 'none')",
    'greatest(%d, 0) + least(%d, 10)',
    "'%d' || '%%'",
    'shout(%d)',
    'pg_catalog.lower(%d)',
    '%d IN (1, 2) AND NOT %d IS DISTINCT FROM 1',
  ])('accepts %s', async (expression) => {
    const result = await gql(harness.server.url, ADD, { s: 'shop.t.ok', d: expression });
    expect(result.errors).toBeUndefined();
  });

  it('judges the overload, operator and cast PostgreSQL resolves for the column type', async () => {
    await using db = new TargetDatabase(harness.db.url, 2);
    await expect(checkTyped(db, 'round(%d::numeric, 2)', 'integer')).resolves.toBeUndefined();
    await expect(checkTyped(db, "date_part('year', %d)", 'timestamp')).resolves.toBeUndefined();
    await expect(checkTyped(db, "date_part('year', %d)", 'timestamp with time zone')).rejects.toThrow(
      /function call "date_part\('year', %d\)", not immutable for a timestamp with time zone value/,
    );
    await expect(checkTyped(db, "%d ~~~> 'x'", 'text')).rejects.toThrow(
      /transform refused: "%d ~~~> 'x'" \(functions in index expression must be marked IMMUTABLE/,
    );
  });
});
