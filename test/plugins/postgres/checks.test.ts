import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../core/plugin/index.js';
import { connectPostgres } from '../../../plugins/postgres/connection.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';
import { ddlTriggerScript } from '../../../plugins/postgres/schema/ddl-trigger.js';
import { startTestCluster } from '../../support/postgres-cluster.js';
import { createTestDatabase } from '../../support/test-database.js';
import { postgresConfig } from './postgres-contract-source.js';
import { postgresFixture, silentLog } from './postgres-fixture.js';

const context = { connectorName: 'checks', log: silentLog, signal: new AbortController().signal };

describe('postgres check', () => {
  it('reports tables without a primary key or REPLICA IDENTITY FULL with the statement that fixes them', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql(`CREATE TABLE keyed (id int PRIMARY KEY);
      CREATE TABLE "Log Lines" (line text);
      CREATE TABLE full_log (line text); ALTER TABLE full_log REPLICA IDENTITY FULL;
      CREATE TABLE nothing (id int PRIMARY KEY); ALTER TABLE nothing REPLICA IDENTITY NOTHING`);
    const connection = await fixture.connect();

    const checks = await connection.check();
    const selected = await connection.check(await connection.discover(['public.keyed', 'public.full_log']));

    expect(checks.filter((check) => check.name === 'replica_identity')).toEqual([
      {
        name: 'replica_identity',
        ok: false,
        detail:
          'table "public"."Log Lines" has REPLICA IDENTITY DEFAULT without a primary key: its UPDATEs and DELETEs cannot be captured',
        hint: 'ALTER TABLE "public"."Log Lines" REPLICA IDENTITY FULL',
      },
      {
        name: 'replica_identity',
        ok: false,
        detail:
          'table "public"."nothing" has REPLICA IDENTITY NOTHING: its UPDATEs and DELETEs cannot be captured',
        hint: 'ALTER TABLE "public"."nothing" REPLICA IDENTITY FULL',
      },
    ]);
    expect(selected.every((check) => check.ok)).toBe(true);
  });

  it('reports a role without REPLICATION, CREATE or SELECT with the grants that fix it', async () => {
    await using fixture = await postgresFixture();
    const role = `Plain User ${randomBytes(3).toString('hex')}`;
    await fixture.sql(
      `CREATE TABLE items (id int PRIMARY KEY); CREATE ROLE "${role}" LOGIN PASSWORD 'pw-123456'`,
    );
    const config = postgresPlugin.configSchema.parse({
      ...fixture.config(),
      user: role,
      password: 'pw-123456',
    });
    const connection = await connectPostgres(config, context);

    const checks = await connection.check().finally(async () => {
      await connection.close();
      await fixture.sql(`DROP ROLE "${role}"`);
    });

    const failed = Object.fromEntries(
      checks.filter((check) => !check.ok).map((check) => [check.name, check.hint]),
    );
    expect(failed).toEqual({
      replication_privilege: `ALTER ROLE "${role}" WITH REPLICATION`,
      select_privilege: `GRANT SELECT ON "public"."items" TO "${role}"`,
      publication_privilege: `GRANT CREATE ON DATABASE "${fixture.databaseName}" TO "${role}"`,
    });
    expect(checks.find((check) => check.name === 'ddl_capture')).toMatchObject({
      ok: true,
      hint: `as a superuser, in database "${fixture.databaseName}": ${ddlTriggerScript()} — or set options.captureDdl to false to silence this`,
    });
  });

  it('reports the missing DDL event trigger with the statements that create it, unless captureDdl is false', async () => {
    await using fixture = await postgresFixture();
    const role = `Ddl User ${randomBytes(3).toString('hex')}`;
    await fixture.sql(`CREATE ROLE "${role}" LOGIN REPLICATION PASSWORD 'pw-123456'`);
    const plain = (options: Record<string, unknown> = {}) =>
      connectPostgres(
        postgresPlugin.configSchema.parse({ ...fixture.config(options), user: role, password: 'pw-123456' }),
        context,
      );
    const ddlCheck = async (connection: Awaited<ReturnType<typeof plain>>) => {
      const checks = await connection.check();
      await connection.close();
      return checks.find((check) => check.name === 'ddl_capture');
    };
    try {
      const missing = await ddlCheck(await plain());
      const optedOut = await ddlCheck(await plain({ captureDdl: false }));
      const superuser = await fixture.connect();
      const beforeCapture = (await superuser.check()).find((check) => check.name === 'ddl_capture');
      await (await superuser.startCapture([]))[Symbol.asyncDispose]();
      const installed = await ddlCheck(await plain());

      expect(missing).toMatchObject({
        ok: true,
        detail: expect.stringContaining(
          'DDL capture is off: the DDL event triggers tributary_ddl_* are missing',
        ),
        hint: expect.stringContaining(
          'CREATE EVENT TRIGGER tributary_ddl_command_end ON ddl_command_end EXECUTE FUNCTION public.tributary_ddl_capture()',
        ),
      });
      expect(optedOut).toBeUndefined();
      expect(beforeCapture).toMatchObject({
        ok: true,
        detail: expect.stringContaining('the first capture creates them'),
      });
      expect(installed).toEqual({
        name: 'ddl_capture',
        ok: true,
        detail: 'the DDL event triggers tributary_ddl_* are installed',
      });
    } finally {
      await fixture.sql(`DROP ROLE "${role}"`);
    }
  });

  it('reports wal_level replica with the setting to change', async () => {
    await using cluster = await startTestCluster('walreplica', { wal_level: 'replica' });
    await using database = await createTestDatabase(cluster.url, 'walcheck');
    const config = postgresPlugin.configSchema.parse(postgresConfig(database));
    await using connection = await connectPostgres(config, context);

    const checks = await connection.check();

    expect(checks.find((check) => check.name === 'wal_level')).toEqual({
      name: 'wal_level',
      ok: false,
      detail: 'wal_level is replica',
      hint: "ALTER SYSTEM SET wal_level = 'logical'; then restart PostgreSQL",
    });
    expect(checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['wal_level']);
  });

  it('reports a failed connection check instead of throwing once the server is unreachable', async () => {
    await using fixture = await postgresFixture();
    const connection = await fixture.connect();
    await connection.close();

    const checks = await connection.check();

    expect(checks).toEqual([
      expect.objectContaining({
        name: 'connection',
        ok: false,
        hint: expect.stringContaining('pg_hba.conf'),
      }),
    ]);
  });
});

describe('postgres connect', () => {
  it('throws SourceUnavailableError with the server message, never the password, when the login is refused', async () => {
    await using fixture = await postgresFixture();
    const config = postgresPlugin.configSchema.parse({ ...fixture.config(), password: 'wrong-secret-value' });

    const connecting = connectPostgres(config, context);

    await expect(connecting).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(connecting).rejects.toThrow(/password authentication failed/);
    await expect(connecting).rejects.not.toThrow(/wrong-secret-value/);
  });

  it('throws SourceUnavailableError when nothing listens on the port', async () => {
    const config = postgresPlugin.configSchema.parse({
      host: '127.0.0.1',
      port: 1,
      user: 'u',
      password: 'p-secret',
      database: 'd',
    });

    await expect(postgresPlugin.connect(config, context)).rejects.toThrow(
      /cannot connect to PostgreSQL at 127\.0\.0\.1:1, database d, user u: .*ECONNREFUSED/,
    );
  });
});
