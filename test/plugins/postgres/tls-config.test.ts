import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../core/plugin/index.js';
import { describeTlsFailure, loadTls } from '../../../core/plugin/kit.js';
import { clientConfig } from '../../../plugins/postgres/client/client-factory.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';

const base = { host: 'db.example', port: 5432, user: 'replicator', password: 'secret', database: 'shop' };
const parse = (tls: unknown) => postgresPlugin.configSchema.safeParse({ ...base, options: { tls } });
const KEY = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n';

describe('postgres options.tls', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tributary-tls-config-'));
    await writeFile(file('key.pem'), KEY);
    await writeFile(file('cert.pem'), CERT);
    await writeFile(file('ca.pem'), CERT);
    await writeFile(file('not-pem.txt'), 'hello');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is absent by default, which means disable', async () => {
    const parsed = postgresPlugin.configSchema.parse(base);
    expect(parsed.options.tls).toBeUndefined();
    const tls = await loadTls(parsed.options.tls);
    expect(tls).toEqual({ mode: 'disable' });
    expect(clientConfig(parsed, tls).ssl).toBe(false);
  });

  it('accepts every mode and absolute paths', () => {
    for (const mode of ['disable', 'require', 'verify-ca', 'verify-full'])
      expect(parse({ mode }).success).toBe(true);
    const full = { mode: 'verify-full', ca: '/etc/ca.pem', cert: '/etc/c.pem', key: '/etc/k.pem' };
    expect(parse(full).data?.options.tls).toEqual(full);
    expect(parse({ mode: 'require', cert: '/etc/c.pem', key: '/etc/k.pem' }).success).toBe(true);
  });

  it.each([
    [
      { mode: 'prefer' },
      'options.tls.mode',
      /tls\.mode must be: one of disable, require, verify-ca, verify-full/,
    ],
    [{ ca: '/etc/ca.pem' }, 'options.tls.mode', /tls\.mode is required/],
    [{ mode: 'verify-full', key: '/k.pem' }, 'options.tls.key', /tls\.key is given without tls\.cert/],
    [{ mode: 'verify-full', cert: '/c.pem' }, 'options.tls.cert', /tls\.cert is given without tls\.key/],
    [{ mode: 'require', ca: '/ca.pem' }, 'options.tls.ca', /not used with tls\.mode require.*verify-ca/],
    [{ mode: 'disable', ca: '/ca.pem' }, 'options.tls.ca', /not used when tls\.mode is disable/],
    [{ mode: 'verify-ca', ca: 'certs/ca.pem' }, 'options.tls.ca', /must be an absolute path/],
    [{ mode: 'verify-ca', ca: '' }, 'options.tls.ca', /must not be empty/],
    [{ mode: 'verify-ca', sslmode: 'x' }, 'options.tls', /sslmode/],
    ['verify-full', 'options.tls', /object/],
  ])('rejects %j', (tls, where, message) => {
    const issue = parse(tls).error?.issues[0];
    expect(issue?.path.join('.')).toBe(where);
    expect(JSON.stringify(issue)).toMatch(message);
  });

  it('maps the modes to the driver: require verifies nothing, verify-ca the chain, verify-full the host too', async () => {
    const config = (tls: unknown) => postgresPlugin.configSchema.parse({ ...base, options: { tls } });
    const ssl = async (tls: Record<string, unknown>) =>
      clientConfig(config(tls), await loadTls(config(tls).options.tls)).ssl;
    expect(await ssl({ mode: 'require' })).toEqual({ rejectUnauthorized: false });
    const verifyCa = (await ssl({ mode: 'verify-ca', ca: file('ca.pem') })) as Record<string, unknown>;
    expect(verifyCa).toMatchObject({ rejectUnauthorized: true, ca: CERT });
    expect(typeof verifyCa.checkServerIdentity).toBe('function');
    const verifyFull = (await ssl({ mode: 'verify-full' })) as Record<string, unknown>;
    expect(verifyFull).toEqual({ rejectUnauthorized: true });
  });

  it('reads the key without exposing it to JSON or inspection', async () => {
    const tls = await loadTls({ mode: 'verify-full', cert: file('cert.pem'), key: file('key.pem') });
    expect(tls.key).toBe(KEY);
    const settings = clientConfig(postgresPlugin.configSchema.parse(base), tls);
    const ssl = settings.ssl as { key?: string; cert?: string };
    expect(ssl.key).toBe(KEY);
    expect(ssl.cert).toBe(CERT);
    for (const shown of [
      JSON.stringify(tls),
      inspect(tls),
      JSON.stringify(ssl),
      inspect(settings, { depth: 5 }),
    ])
      expect(shown).not.toContain('c2VjcmV0');
  });

  it('names the option and the path of an unreadable or non-PEM file, never the contents', async () => {
    const missing = loadTls({ mode: 'verify-ca', ca: file('nope.pem') });
    await expect(missing).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(missing).rejects.toThrow(
      `TLS: cannot read options.tls.ca (${file('nope.pem')}): no such file`,
    );
    await expect(loadTls({ mode: 'verify-ca', ca: dir })).rejects.toThrow(
      /options\.tls\.ca .*: it is a directory/,
    );
    await expect(
      loadTls({ mode: 'require', cert: file('cert.pem'), key: file('not-pem.txt') }),
    ).rejects.toThrow(`TLS: options.tls.key (${file('not-pem.txt')}) is not a PEM file`);
  });

  it('explains TLS failures and leaves other errors alone', () => {
    const error = (message: string, code?: string) => Object.assign(new Error(message), { code });
    expect(
      describeTlsFailure(error('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'verify-ca'),
    ).toMatch(/^TLS: certificate verify failed: self-signed certificate \(options\.tls\.mode verify-ca;/);
    const wrapped = new Error('stream failed', {
      cause: error('certificate has expired', 'CERT_HAS_EXPIRED'),
    });
    expect(describeTlsFailure(wrapped, 'verify-full')).toMatch(
      /^TLS: certificate verify failed: certificate has expired/,
    );
    expect(
      describeTlsFailure(error('connection requires a valid client certificate', '28000'), 'require'),
    ).toMatch(
      /^TLS: the server refused the client certificate: .*check options\.tls\.cert and options\.tls\.key/,
    );
    expect(describeTlsFailure(error('The server does not support SSL connections'), 'require')).toMatch(
      /^TLS: the server does not accept TLS connections/,
    );
    expect(
      describeTlsFailure(error('password authentication failed for user "x"', '28P01'), 'disable'),
    ).toBeNull();
    expect(
      describeTlsFailure(error('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'verify-full'),
    ).toBeNull();
  });
});
