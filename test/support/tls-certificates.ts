import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files of a throwaway PKI, all in one temporary directory. */
export interface TestCertificates extends AsyncDisposable {
  readonly dir: string;
  /** The CA that signed the server and client certificates. */
  readonly ca: string;
  /** A second CA that signed nothing here: verifying against it fails. */
  readonly otherCa: string;
  /** The server's certificate (subject alternative name IP:127.0.0.1 only) and key. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A second server certificate, for DNS:localhost only, and its key. */
  readonly localhostCert: string;
  readonly localhostKey: string;
  /** A client certificate (CN `clientName`) and key. */
  readonly clientCert: string;
  readonly clientKey: string;
}

/**
 * Makes a CA, server certificates for 127.0.0.1 and for localhost, and a client certificate with
 * `openssl` (P-256 keys, valid two days) in a temporary directory that disposing removes.
 */
export async function makeTestCertificates(clientName = 'tributary'): Promise<TestCertificates> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tributary-tls-'));
  const file = (name: string) => path.join(dir, name);
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const makeCa = (name: string, subject: string) =>
    run('openssl', [
      ...['req', '-x509', ...newKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`)],
      ...['-days', '2', '-subj', subject],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ]);
  const issue = async (name: string, subject: string, extensions: string) => {
    await run('openssl', [
      ...['req', ...newKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject],
    ]);
    await writeFile(file(`${name}.ext`), extensions);
    await run('openssl', [
      ...['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key')],
      ...['-CAcreateserial', '-days', '2', '-out', file(`${name}.crt`), '-extfile', file(`${name}.ext`)],
    ]);
  };
  try {
    await makeCa('ca', '/CN=Tributary test CA');
    await makeCa('other-ca', '/CN=Some other CA');
    await issue(
      'server',
      '/CN=127.0.0.1',
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n',
    );
    await issue(
      'localhost',
      '/CN=localhost',
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n',
    );
    await issue(
      'client',
      `/CN=${clientName}`,
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    ca: file('ca.crt'),
    otherCa: file('other-ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    localhostCert: file('localhost.crt'),
    localhostKey: file('localhost.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}
