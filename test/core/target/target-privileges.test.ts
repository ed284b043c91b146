import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkTyped } from '../../../core/mappings/transform-guard.js';
import { TargetDatabase } from '../../../core/target/target-database.js';
import { readTargetPrivileges } from '../../../core/target/target-privileges.js';
import { gql } from '../../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestServer } from '../../support/test-runtime.js';

let db: TestDatabase;
const role = `tributary_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  // what README asks of the target user: LOGIN, CREATE on the database (schemas), TEMPORARY (PUBLIC's)
  await db.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEROLE NOCREATEDB`);
  await db.query(`GRANT CREATE ON DATABASE "${db.name}" TO "${role}"`);
});
afterAll(async () => {
  await db?.[Symbol.asyncDispose]();
  const admin = new TargetDatabase(inject('targetClusterUrl'), 1);
  await admin.query(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
  await admin.close();
});

const limitedUrl = () => {
  const url = new URL(db.url);
  url.username = role;
  url.password = password;
  return url.toString();
};

describe('target user privileges', () => {
  it('warns once at start when the configured target user is a superuser', async () => {
    await using server = await startTestServer(db.url);
    const warnings = server.logs.filter((line) => line.includes('is a superuser'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":40');
  });

  it('runs with a user that has only what README lists, without a warning', async () => {
    await using other = await createTestDatabase(inject('targetClusterUrl'));
    await other.query(`GRANT CREATE ON DATABASE "${other.name}" TO "${role}"`);
    const url = new URL(other.url);
    url.username = role;
    url.password = password;
    await using server = await startTestServer(url.toString());
    expect(server.logs.filter((line) => line.includes('superuser') && line.includes('"level":40'))).toEqual(
      [],
    );
    const added = await gql(
      server.url,
      'mutation { addConnector(input: { name: "s", type: "memory", host: "h", port: 1, user: "u", password: "p", database: "d" }) { name } }',
    );
    expect(added.errors).toBeUndefined();
    await using target = new TargetDatabase(url.toString(), 2);
    expect(await readTargetPrivileges(target)).toEqual({ user: role, superuser: false, extra: [] });
    await expect(checkTyped(target, 'round(%d::numeric, 2)', 'integer')).resolves.toBeUndefined();
    await expect(checkTyped(target, "date_part('year', %d)", 'timestamptz')).rejects.toThrow(/not immutable/);
  });

  it('reads the limited user as no superuser', async () => {
    await using target = new TargetDatabase(limitedUrl(), 1);
    expect((await readTargetPrivileges(target)).superuser).toBe(false);
  });
});
