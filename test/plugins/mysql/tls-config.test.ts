import { describe, expect, it } from 'vitest';
import { describeTlsFailure, type TlsMaterial } from '../../../core/plugin/kit.js';
import { clientOptions } from '../../../plugins/mysql/client/client-options.js';
import { explainRefusedLogin } from '../../../plugins/mysql/client/login-refusal.js';
import { mysqlPlugin } from '../../../plugins/mysql/index.js';

const base = { host: '127.0.0.1', port: 3306, user: 'replicator', password: 'secret', database: 'shop' };
const parse = (tls: unknown, host = base.host) =>
  mysqlPlugin.configSchema.safeParse({ ...base, host, options: { tls } });
const KEY = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n';

describe('mysql options.tls', () => {
  it('is absent by default, and then no TLS is asked for', () => {
    const config = mysqlPlugin.configSchema.parse(base);
    expect(config.options.tls).toBeUndefined();
    expect(clientOptions(config, { mode: 'disable' }).ssl).toBeUndefined();
  });

  it.each([
    [{ mode: 'full' }, 'options.tls.mode', /must be: one of disable, require, verify-ca, verify-full/],
    [{ mode: 'verify-ca', key: '/k.pem' }, 'options.tls.key', /tls\.key is given without tls\.cert/],
    [{ mode: 'require', ca: '/ca.pem' }, 'options.tls.ca', /not used with tls\.mode require/],
    [{ mode: 'verify-ca', cert: './c.pem', key: '/k.pem' }, 'options.tls.cert', /absolute path/],
  ])('rejects %j', (tls, where, message) => {
    const issue = parse(tls).error?.issues[0];
    expect(issue?.path.join('.')).toBe(where);
    expect(JSON.stringify(issue)).toMatch(message);
  });

  it('maps the modes to mysql2: require verifies nothing, verify-ca the chain, verify-full the host too', () => {
    const options = (mode: TlsMaterial['mode'], host = base.host) => {
      const config = parse({ mode }, host).data;
      if (config === undefined) throw new Error('config did not parse');
      return clientOptions(config, { mode });
    };
    expect(options('require').ssl).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(options('verify-ca').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: false });
    expect(options('verify-full').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: true });
    // an IP address gets a socket that lets TLS check the address (see client/client-options.ts)
    expect(typeof options('verify-full').stream).toBe('function');
    expect(options('verify-full', 'db.example').stream).toBeUndefined();
    expect(options('verify-ca').stream).toBeUndefined();
  });

  it('keeps the key out of JSON', () => {
    const config = mysqlPlugin.configSchema.parse(base);
    const tls = { mode: 'require', cert: 'CERT', key: KEY } as const;
    const options = clientOptions(config, tls);
    expect((options.ssl as { key?: string }).key).toBe(KEY);
    expect(JSON.stringify(options)).not.toContain('c2VjcmV0');
  });

  it('explains MySQL 8 refusing a plain connection as a TLS failure', () => {
    const insecure = Object.assign(
      new Error('Connections using insecure transport are prohibited while --require_secure_transport=ON.'),
      { code: 'ER_SECURE_TRANSPORT_REQUIRED', errno: 3159 },
    );
    expect(describeTlsFailure(insecure, 'disable')).toMatch(
      /^TLS: the server accepts only encrypted connections: .* \(options\.tls\.mode disable; set options\.tls\.mode to verify-full/,
    );
    const handshake = Object.assign(new Error('unable to get local issuer certificate'), {
      code: 'HANDSHAKE_SSL_ERROR',
    });
    expect(describeTlsFailure(handshake, 'verify-ca')).toMatch(/^TLS: certificate verify failed/);
  });

  it('mentions a client certificate after the password advice only when TLS is on without one', async () => {
    const config = mysqlPlugin.configSchema.parse(base);
    const denied = "Access denied for user 'x'@'10.0.0.1' (using password: YES)";
    const withoutCert = await explainRefusedLogin(denied, config, { mode: 'verify-full' });
    expect(withoutCert).toMatch(/^the server refused 'x'@'10\.0\.0\.1': check the password/);
    expect(withoutCert).toMatch(/; if the password is right and the account was created with REQUIRE X509/);
    const withCert = await explainRefusedLogin(denied, config, { mode: 'verify-full', cert: 'c', key: 'k' });
    expect(withCert).not.toMatch(/TLS|X509|certificate/);
    expect(await explainRefusedLogin('connect ECONNREFUSED', config, { mode: 'disable' })).toBeUndefined();
  });
});
