import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEncryptionConnector } from '../../../plugins/sqlserver/client/encryption-guard.js';
import { makeTestCertificates, type TestCertificates } from '../tls-certificates.js';
import { assertEncryptionHonoured } from './encryption-guard.js';
import { startFakeTds } from './fake-tds-server.js';
import { closeTedious, connectTedious, query } from './tedious-client.js';

const one = () => ({ columns: [{ name: 'one', type: 'int' }], rows: [[1]] });
const logins = (received: readonly { kind: string }[]) => received.filter((entry) => entry.kind === 'login7');

describe('fake TDS server: TLS inside PRELOGIN with the real tedious driver', () => {
  let certs: TestCertificates;
  let pem: {
    ca: string;
    otherCa: string;
    cert: string;
    key: string;
    localhostCert: string;
    localhostKey: string;
  };

  beforeAll(async () => {
    certs = await makeTestCertificates();
    const read = (file: string) => readFile(file, 'utf8');
    pem = {
      ca: await read(certs.ca),
      otherCa: await read(certs.otherCa),
      cert: await read(certs.serverCert),
      key: await read(certs.serverKey),
      localhostCert: await read(certs.localhostCert),
      localhostKey: await read(certs.localhostKey),
    };
  });

  afterAll(() => certs[Symbol.asyncDispose]());

  it('verifies the server against the CA and host name, then logs in and queries inside TLS 1.2', async () => {
    await using fake = await startFakeTds({ tls: { cert: pem.cert, key: pem.key }, handler: one });
    const { connection } = await connectTedious(fake.port, {
      encrypt: true,
      trustServerCertificate: false,
      cryptoCredentialsDetails: { ca: pem.ca },
    });
    expect(await query(connection, 'SELECT 1')).toEqual([[{ one: 1 }]]);
    await closeTedious(connection);
    expect(fake.received.find((entry) => entry.kind === 'tls')).toMatchObject({ protocol: 'TLSv1.2' });
    expect(logins(fake.received)).toMatchObject([{ encrypted: true, accepted: true }]);
    expect(() => assertEncryptionHonoured(fake.received)).not.toThrow();
    expect(fake.errors).toEqual([]);
  });

  it('fails before LOGIN7 when the certificate is signed by another CA', async () => {
    await using fake = await startFakeTds({ tls: { cert: pem.cert, key: pem.key }, handler: one });
    const options = {
      encrypt: true,
      trustServerCertificate: false,
      cryptoCredentialsDetails: { ca: pem.otherCa },
    };
    const failure = await connectTedious(fake.port, options).catch((error: unknown) => error);
    expect(String((failure as Error).message)).toMatch(/certificate/i);
    expect(logins(fake.received)).toEqual([]);
  });

  it('fails before LOGIN7 when the certificate names another host', async () => {
    await using fake = await startFakeTds({
      tls: { cert: pem.localhostCert, key: pem.localhostKey },
      handler: one,
    });
    const options = {
      encrypt: true,
      trustServerCertificate: false,
      cryptoCredentialsDetails: { ca: pem.ca },
    };
    const failure = await connectTedious(fake.port, options).catch((error: unknown) => error);
    expect(String((failure as Error).message)).toMatch(/altnames|does not match|certificate/i);
    expect(logins(fake.received)).toEqual([]);
  });

  it('makes tedious refuse with EENCRYPT when the server requires encryption and encrypt is false', async () => {
    await using fake = await startFakeTds({
      tls: { cert: pem.cert, key: pem.key },
      encryption: 'required',
      handler: one,
    });
    const failure = await connectTedious(fake.port, { encrypt: false }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'EENCRYPT' });
    expect(logins(fake.received)).toEqual([]);
  });

  describe('downgrade: the server answers ENCRYPT_NOT_SUP while the client asks for encryption', () => {
    it('tedious 19 logs in in plain text anyway, which assertEncryptionHonoured reports', async () => {
      await using fake = await startFakeTds({ encryption: 'notSupported', handler: one });
      const { connection } = await connectTedious(fake.port, {
        encrypt: true,
        trustServerCertificate: false,
      });
      await closeTedious(connection);
      expect(logins(fake.received)).toMatchObject([{ encrypted: false, accepted: true }]);
      expect(() => assertEncryptionHonoured(fake.received)).toThrow(/plain text/);
    });

    it('the sqlserver plugin’s connector, which checks the PRELOGIN reply, stops the connection before any LOGIN7', async () => {
      await using fake = await startFakeTds({ encryption: 'notSupported', handler: one });
      const failure = await connectTedious(fake.port, {
        encrypt: true,
        trustServerCertificate: false,
        connector: requireEncryptionConnector('127.0.0.1', fake.port),
      }).catch((error: unknown) => error);
      expect(String((failure as Error).message)).toMatch(/options\.tls\.mode/);
      expect(fake.received.map((entry) => entry.kind)).toEqual(['prelogin']);
      assertEncryptionHonoured(fake.received);
    });

    it("encrypt: 'strict' (TLS before any TDS) never sends LOGIN7 to a server without TLS", async () => {
      await using fake = await startFakeTds({ encryption: 'notSupported', handler: one });
      const failure = await connectTedious(fake.port, { encrypt: 'strict' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(logins(fake.received)).toEqual([]);
      expect(fake.errors.map((error) => error.message)).toEqual([expect.stringMatching(/TDS packet length/)]);
    });
  });
});
