import { copyFile, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ConnectContext, SourceUnavailableError } from '../../../core/plugin/index.js';
import { connectMysql } from '../../../plugins/mysql/connection.js';
import { mysqlPlugin } from '../../../plugins/mysql/index.js';
import { EngineHarness } from '../../replication/engine-harness.js';
import { type MariadbServer, startMariadb } from '../../support/mariadb-server.js';
import { makeTestCertificates, type TestCertificates } from '../../support/tls-certificates.js';
import {
  createMysqlDatabase,
  MysqlContractSource,
  type MysqlDatabase,
  mysqlConfig,
} from './mysql-contract-source.js';

/** A user that must present a client certificate signed by the server's CA. */
const X509_USER = { user: 'x509', password: 'x509-secret' } as const;
const silent = { debug() {}, info() {}, warn() {} };

describe('mysql source over TLS', () => {
  let certs: TestCertificates;
  let server: MariadbServer;
  /** The administrator's URL, over TLS (the server refuses anything else). */
  let adminUrl: string;
  let database: MysqlDatabase;

  beforeAll(async () => {
    certs = await makeTestCertificates();
    // the server's files are copies, so that a test can swap the certificate (FLUSH SSL)
    await copyFile(certs.serverCert, `${certs.dir}/live.crt`);
    await copyFile(certs.serverKey, `${certs.dir}/live.key`);
    server = await startMariadb('tls', {
      ssl_ca: certs.ca,
      ssl_cert: `${certs.dir}/live.crt`,
      ssl_key: `${certs.dir}/live.key`,
      require_secure_transport: 'ON',
    });
    adminUrl = `${server.url}?ssl=${encodeURIComponent(JSON.stringify({ rejectUnauthorized: false }))}`;
    database = await createMysqlDatabase('tls', adminUrl);
    await database.query(`CREATE USER ?@'%' IDENTIFIED BY ? REQUIRE X509`, [
      X509_USER.user,
      X509_USER.password,
    ]);
    await database.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%'`, [X509_USER.user]);
  });

  afterAll(async () => {
    await database?.[Symbol.asyncDispose]();
    await server?.stop();
    await certs?.[Symbol.asyncDispose]();
  });

  const context = (): ConnectContext => ({
    connectorName: 'tls',
    log: silent,
    signal: new AbortController().signal,
  });
  const connect = (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    connectMysql(mysqlPlugin.configSchema.parse({ ...mysqlConfig(database, { tls }), ...extra }), context());
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

  it('connects with mode require to a server that refuses plain connections', async () => {
    await using connection = await connect({ mode: 'require' });
    await using capture = await connection.startCapture([]);
    expect(capture.startOffset).toMatch(/^mariadb-bin\.\d+:\d{16}/);
  });

  it('connects with verify-full to 127.0.0.1 as a user that must present a client certificate', async () => {
    await using connection = await connect(
      { mode: 'verify-full', ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
      X509_USER,
    );
    await using capture = await connection.startCapture([]);
    expect(capture.startOffset).toMatch(/^mariadb-bin\.\d+:\d{16}/);
  });

  it('fails verify-full against another CA with a certificate verify message', async () => {
    const message = await failure({ mode: 'verify-full', ca: certs.otherCa });
    expect(message).toMatch(
      /^cannot connect to MySQL at 127\.0\.0\.1:\d+, .*: TLS: certificate verify failed/,
    );
    expect(message).toMatch(/options\.tls\.mode verify-full; options\.tls\.ca must hold the CA/);
  });

  it('refuses with verify-full a host name the certificate does not list, and accepts it with verify-ca', async () => {
    const message = await failure({ mode: 'verify-full', ca: certs.ca }, { host: 'localhost' });
    expect(message).toMatch(/TLS: the server's certificate does not name this host: .*localhost/);
    await using connection = await connect({ mode: 'verify-ca', ca: certs.ca }, { host: 'localhost' });
    await using capture = await connection.startCapture([]);
    expect(capture.startOffset).toMatch(/^mariadb-bin\./);
  });

  it('checks with verify-full that the certificate lists the IP address connected to', async () => {
    const serve = async (cert: string, key: string) => {
      await copyFile(cert, `${certs.dir}/live.crt`);
      await copyFile(key, `${certs.dir}/live.key`);
      await database.query('FLUSH SSL');
    };
    await serve(certs.localhostCert, certs.localhostKey);
    try {
      // mysql2 alone would check the name "localhost" when connecting to an IP address
      const message = await failure({ mode: 'verify-full', ca: certs.ca });
      expect(message).toMatch(/TLS: the server's certificate does not name this host: .*IP: 127\.0\.0\.1/);
      await using connection = await connect({ mode: 'verify-full', ca: certs.ca }, { host: 'localhost' });
      await using capture = await connection.startCapture([]);
      expect(capture.startOffset).toMatch(/^mariadb-bin\./);
    } finally {
      await serve(certs.serverCert, certs.serverKey);
    }
  });

  it('points at options.tls.mode when a server that requires TLS refuses a plain login', async () => {
    // MariaDB answers "Access denied" (MySQL 8 says "insecure transport", see tls-config.test.ts)
    const message = await failure({ mode: 'disable' });
    expect(message).toMatch(/Access denied .*\(options\.tls\.mode is disable: a server that requires TLS/);
    expect(message).toMatch(/set options\.tls\.mode to verify-full\)$/);
  });

  it('gives a wrong password no TLS hint, even from a server that requires TLS', async () => {
    const message = await failure({ mode: 'disable' }, { password: 'not-the-password' });
    expect(message).toMatch(/Access denied for user .*\(the server refused .*: check the password/);
    expect(message).not.toMatch(/TLS|options\.tls|X509|certificate/);
  });

  it('gives a wrong password no TLS hint from a server without TLS', async () => {
    await using plain = await createMysqlDatabase('plain_denied', inject('mariadbUrl'));
    const config = mysqlPlugin.configSchema.parse({
      ...mysqlConfig(plain, { tls: { mode: 'disable' } }),
      password: 'not-the-password',
    });
    const error = await connectMysql(config, context()).catch((error: unknown) => error as Error);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toMatch(/Access denied for user .*check the password/);
    expect((error as Error).message).not.toMatch(/TLS|options\.tls|X509|certificate/);
  });

  it('says that an account requiring X509 needs a client certificate', async () => {
    const message = await failure({ mode: 'verify-full', ca: certs.ca }, X509_USER);
    expect(message).toMatch(
      /Access denied .*needs a client certificate: set options\.tls\.cert and options\.tls\.key/,
    );
  });

  it('says that a server without TLS does not accept it', async () => {
    await using plain = await createMysqlDatabase('plain', inject('mariadbUrl'));
    const config = mysqlPlugin.configSchema.parse(mysqlConfig(plain, { tls: { mode: 'require' } }));
    const error = await connectMysql(config, context()).catch((error: unknown) => error as Error);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toMatch(
      /TLS: the server does not accept TLS connections \(options\.tls\.mode require; enable TLS on the server/,
    );
  });

  it('names the option and the path of a file it cannot read', async () => {
    const missing = `${certs.dir}/missing-key.pem`;
    const message = await failure({ mode: 'verify-ca', cert: certs.clientCert, key: missing });
    expect(message).toContain(`TLS: cannot read options.tls.key (${missing}): no such file`);
  });

  it('replicates a snapshot and a change through TLS, binary log included, and never logs the key', async () => {
    const setup = async () => {
      const source = new MysqlContractSource(await createMysqlDatabase('tls_e2e', adminUrl));
      const tls = { mode: 'verify-full', ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
      return {
        plugin: mysqlPlugin,
        config: { ...mysqlConfig(source.database, { tls }), ...X509_USER },
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
