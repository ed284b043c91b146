import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ConnectContext, SourceUnavailableError } from '../../../core/plugin/index.js';
import { connectPostgres } from '../../../plugins/postgres/connection.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';
import { EngineHarness } from '../../replication/engine-harness.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { makeTestCertificates, type TestCertificates } from '../../support/tls-certificates.js';
import { PostgresContractSource, postgresConfig } from './postgres-contract-source.js';

/** A role the server refuses unless it connects over TLS. */
const TLS_ONLY = { user: 'tls_only', password: 'tls-only-secret' } as const;
const silent = { debug() {}, info() {}, warn() {} };

describe('postgres source over TLS', () => {
  let certs: TestCertificates;
  let cluster: TestCluster;
  let database: TestDatabase;

  beforeAll(async () => {
    certs = await makeTestCertificates();
    cluster = await startTestCluster(
      'tls',
      { wal_level: 'logical', max_replication_slots: '10', max_wal_senders: '10' },
      { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requiredFor: [TLS_ONLY.user] },
    );
    database = await createTestDatabase(cluster.url, 'tls');
    await database.query(
      `CREATE ROLE ${TLS_ONLY.user} LOGIN SUPERUSER REPLICATION PASSWORD '${TLS_ONLY.password}'`,
    );
  });

  afterAll(async () => {
    await database?.[Symbol.asyncDispose]();
    await cluster?.stop();
    await certs?.[Symbol.asyncDispose]();
  });

  const context = (): ConnectContext => ({
    connectorName: 'tls',
    log: silent,
    signal: new AbortController().signal,
  });
  const config = (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    postgresPlugin.configSchema.parse({ ...postgresConfig(database, { tls }), ...TLS_ONLY, ...extra });
  const connect = (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    connectPostgres(config(tls, extra), context());
  const failure = async (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const error = await connect(tls, extra).then(
      async (connection) => {
        await connection.close();
        return new Error('connected');
      },
      (error: unknown) => error as Error,
    );
    expect(error).toBeInstanceOf(SourceUnavailableError);
    return error.message;
  };
  /** TLS state of the plugin's sessions in the test database, as the server sees them. */
  const sessions = async () =>
    (
      await database.query<{ ssl: boolean; client_dn: string | null }>(
        `SELECT s.ssl, s.client_dn FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
          WHERE a.application_name = 'tributary' AND a.datname = current_database()`,
      )
    ).rows;

  it('connects with mode require, encrypted', async () => {
    await using connection = await connect({ mode: 'require' });
    expect((await connection.check()).find((check) => check.name === 'connection')).toBeUndefined();
    expect(new Set((await sessions()).map((row) => JSON.stringify(row)))).toEqual(
      new Set([JSON.stringify({ ssl: true, client_dn: null })]),
    );
  });

  it('connects with verify-full to 127.0.0.1 and presents the client certificate', async () => {
    await using connection = await connect({
      mode: 'verify-full',
      ca: certs.ca,
      cert: certs.clientCert,
      key: certs.clientKey,
    });
    expect((await connection.check()).find((check) => check.name === 'connection')).toBeUndefined();
    expect(new Set((await sessions()).map((row) => JSON.stringify(row)))).toEqual(
      new Set([JSON.stringify({ ssl: true, client_dn: '/CN=tributary' })]),
    );
  });

  it('fails verify-full against another CA with a certificate verify message', async () => {
    const message = await failure({ mode: 'verify-full', ca: certs.otherCa });
    expect(message).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:\d+, .*: TLS: certificate verify failed/,
    );
    expect(message).toMatch(/options\.tls\.mode verify-full; options\.tls\.ca must hold the CA/);
  });

  it('refuses with verify-full a host name the certificate does not list, and accepts it with verify-ca', async () => {
    const message = await failure({ mode: 'verify-full', ca: certs.ca }, { host: 'localhost' });
    expect(message).toMatch(/TLS: the server's certificate does not name this host: .*localhost/);
    await using connection = await connect({ mode: 'verify-ca', ca: certs.ca }, { host: 'localhost' });
    expect((await connection.check()).find((check) => check.name === 'connection')).toBeUndefined();
  });

  it('says that the server accepts only encrypted connections when mode is disable', async () => {
    const message = await failure({ mode: 'disable' });
    expect(message).toMatch(/TLS: the server accepts only encrypted connections: .*no encryption/);
    expect(message).toMatch(/options\.tls\.mode disable; set options\.tls\.mode to verify-full/);
  });

  it('says that a server without TLS does not accept it', async () => {
    await using plain = await createTestDatabase(inject('sourceClusterUrl'), 'plain');
    const settings = postgresConfig(plain, { tls: { mode: 'require' } });
    const error = await connectPostgres(postgresPlugin.configSchema.parse(settings), context()).catch(
      (error: unknown) => error as Error,
    );
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toMatch(
      /TLS: the server does not accept TLS connections \(options\.tls\.mode require; enable TLS on the server/,
    );
  });

  it('names the option and the path of a file it cannot read', async () => {
    const missing = `${certs.dir}/missing-ca.pem`;
    const message = await failure({ mode: 'verify-ca', ca: missing });
    expect(message).toContain(`TLS: cannot read options.tls.ca (${missing}): no such file`);
    const notPem = await failure({ mode: 'require', cert: `${certs.dir}/client.ext`, key: certs.clientKey });
    expect(notPem).toContain(`TLS: options.tls.cert (${certs.dir}/client.ext) is not a PEM file`);
  });

  it('replicates a snapshot and a change through TLS on every session, and never logs the key', async () => {
    const setup = async () => {
      const source = new PostgresContractSource(await createTestDatabase(cluster.url, 'tls_e2e'));
      const tls = { mode: 'verify-full', ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
      return {
        plugin: postgresPlugin,
        config: { ...postgresConfig(source.database, { tls }), ...TLS_ONLY },
        source,
      };
    };
    await using h = await EngineHarness.open(inject('targetClusterUrl'), setup);
    const columns = [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
    ] as const;
    const table = await h.source.createTable('items', columns, ['id']);
    await h.source.insert(table, [{ id: 1, name: 'snapshot' }]);
    await h.addConnector('tls');
    await h.lifecycle('startConnector', 'tls');
    await h.waitForState('tls', 'CHANGE_DATA_CAPTURE', 'POLLING');
    await h.source.insert(table, [{ id: 2, name: 'streamed' }]);
    await h.waitForRows(table, [
      { id: 1, name: 'snapshot' },
      { id: 2, name: 'streamed' },
    ]);
    const keyBody = (await readFile(certs.clientKey, 'utf8')).split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(20);
    expect(h.server.logs.join('\n')).not.toContain(keyBody);
  });
});
