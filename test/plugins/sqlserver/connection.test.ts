import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../core/plugin/index.js';
import { isTransientError } from '../../../core/replication/transient-error.js';
import { sqlServerPlugin } from '../../../plugins/sqlserver/index.js';
import { assertEncryptionHonoured } from '../../support/fake-tds/encryption-guard.js';
import { type FakeTdsOptions, startFakeTds } from '../../support/fake-tds/fake-tds-server.js';
import { CdcModel, type ModelTable } from '../../support/mssql-model/cdc-model.js';
import { modelHandler } from '../../support/mssql-model/model-handler.js';
import { makeTestCertificates, type TestCertificates } from '../../support/tls-certificates.js';

const silentLog = { debug() {}, info() {}, warn() {} };

async function connect(port: number, overrides: Record<string, unknown> = {}) {
  const config = sqlServerPlugin.configSchema.parse({
    host: '127.0.0.1',
    port,
    user: 'tributary',
    password: 'secret',
    database: 'testDB',
    ...overrides,
  });
  return sqlServerPlugin.connect(config, {
    connectorName: 'c1',
    log: silentLog,
    signal: new AbortController().signal,
  });
}

async function serve(model = new CdcModel(), options: Partial<FakeTdsOptions> = {}) {
  return startFakeTds({
    users: { tributary: 'secret' },
    databases: ['testDB'],
    handler: modelHandler(model),
    ...options,
  });
}

const logins = (received: readonly { kind: string }[]) => received.filter((entry) => entry.kind === 'login7');

describe('sqlserver connection: logins', () => {
  it('refuses a wrong password as a refusal that is not retried, naming error 18456 and never the password', async () => {
    await using fake = await serve();
    const failure = await connect(fake.port, { password: 'wrong-pw' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceUnavailableError);
    expect((failure as Error).message).toMatch(/Login failed for user 'tributary'.*error 18456/);
    expect((failure as Error).message).not.toContain('wrong-pw');
    expect(isTransientError(failure)).toBe(false);
  });

  it('refuses an unknown database as a refusal naming error 4060', async () => {
    await using fake = await serve();
    const failure = await connect(fake.port, { database: 'nodb' }).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/error 4060; check that the database exists/);
    expect(isTransientError(failure)).toBe(false);
  });

  it('treats a server that cannot be reached as transient', async () => {
    const fake = await serve();
    const port = fake.port;
    await fake.close();
    const failure = await connect(port, { options: { connectTimeoutMs: 2000 } }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SourceUnavailableError);
    expect(isTransientError(failure)).toBe(true);
  });
});

describe('sqlserver connection: TLS', () => {
  let certs: TestCertificates;
  let tls: { cert: string; key: string };

  beforeAll(async () => {
    certs = await makeTestCertificates();
    tls = { cert: await readFile(certs.serverCert, 'utf8'), key: await readFile(certs.serverKey, 'utf8') };
  });
  afterAll(() => certs[Symbol.asyncDispose]());

  it('logs in inside TLS with verify-full against the CA', async () => {
    await using fake = await serve(new CdcModel(), { tls });
    const connection = await connect(fake.port, { options: { tls: { mode: 'verify-full', ca: certs.ca } } });
    await connection.close();
    expect(logins(fake.received)).toMatchObject([{ encrypted: true, accepted: true }]);
  });

  it('never sends the login to a server that answers "encryption not supported" when TLS is required', async () => {
    await using fake = await serve(new CdcModel(), { encryption: 'notSupported' });
    const failure = await connect(fake.port, { options: { tls: { mode: 'require' } } }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SourceUnavailableError);
    expect((failure as Error).message).toMatch(/TLS: the server does not accept TLS connections/);
    expect(logins(fake.received)).toEqual([]);
    expect(() => assertEncryptionHonoured(fake.received)).not.toThrow();
  });

  it('refuses a certificate signed by another CA before the login', async () => {
    await using fake = await serve(new CdcModel(), { tls });
    const failure = await connect(fake.port, {
      options: { tls: { mode: 'verify-full', ca: certs.otherCa } },
    }).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/certificate/i);
    expect(logins(fake.received)).toEqual([]);
  });
});

describe('sqlserver connection: check(tables)', () => {
  async function checksFor(setup: (model: CdcModel, table: ModelTable) => void) {
    const model = new CdcModel();
    const table = model.createTable('dbo', 'orders', [{ name: 'id', type: 'int', nullable: false }], ['id']);
    setup(model, table);
    await using fake = await serve(model);
    const connection = await connect(fake.port);
    try {
      const found = await connection.discover(['testDB.dbo.orders']);
      expect(found.map((t) => t.ref)).toEqual([{ database: 'testDB', schema: 'dbo', name: 'orders' }]);
      return await connection.check(found);
    } finally {
      await connection.close();
    }
  }
  const failed = (checks: { ok: boolean; name: string; hint?: string }[]) =>
    checks.filter((check) => !check.ok).map((check) => [check.name, check.hint]);

  it('passes for a CDC-enabled database and table with the capture job running', async () => {
    const checks = await checksFor((model, table) => model.enableTable(table));
    expect(failed(checks)).toEqual([]);
    expect(checks.map((check) => check.name)).toEqual([
      'version',
      'cdc_database',
      'snapshot_isolation',
      'capture_job',
      'cdc_table',
      'select_privilege',
    ]);
  });

  it('names the statement enabling CDC on a table not tracked', async () => {
    const checks = await checksFor(() => undefined);
    expect(failed(checks)).toEqual([
      [
        'cdc_table',
        "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL, @supports_net_changes = 0;",
      ],
    ]);
  });

  it('names sp_cdc_enable_db and ALLOW_SNAPSHOT_ISOLATION when the database has neither', async () => {
    const checks = await checksFor((model) => {
      model.cdcEnabled = false;
      model.snapshotIsolation = false;
    });
    expect(failed(checks)).toEqual([
      ['cdc_database', 'USE [testDB]; EXEC sys.sp_cdc_enable_db; -- as a member of sysadmin'],
      ['snapshot_isolation', 'ALTER DATABASE [testDB] SET ALLOW_SNAPSHOT_ISOLATION ON;'],
    ]);
  });

  it('says SQL Server Agent is not running when the capture job never harvested', async () => {
    const checks = await checksFor((model, table) => {
      model.agentRunning = false;
      model.enableTable(table);
    });
    expect(failed(checks)).toEqual([['capture_job', expect.stringMatching(/start SQL Server Agent/)]]);
  });
});
