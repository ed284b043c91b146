import mysql from 'mysql2/promise';
import type { TlsMaterial } from '../../../core/plugin/kit.js';
import type { MysqlConfig } from '../config.js';
import { authenticationHint } from './auth-hint.js';
import { clientOptions } from './client-options.js';

const PROBE_TIMEOUT_MS = 5_000;

/**
 * What to do about a failed login, naming TLS only when it is the likely cause. MariaDB answers
 * "Access denied" alike to a wrong password and to a plain login the server or account refuses for
 * want of TLS (`require_secure_transport`, `REQUIRE SSL`). So when `options.tls.mode` is `disable`
 * the same login is tried once over TLS (`require`, no certificate check; only when the server
 * offers TLS, else mysql2 gives up before authenticating): if it succeeds, TLS is the cause;
 * otherwise the password or the account is. An account created `REQUIRE X509` cannot be told from
 * a wrong password without the certificate, so with TLS on and no client certificate that case is
 * mentioned only after the password advice, as a condition. Undefined when there is nothing to say.
 */
export async function explainRefusedLogin(
  message: string,
  config: MysqlConfig,
  tls: TlsMaterial,
): Promise<string | undefined> {
  const advice = authenticationHint(message);
  if (!isPasswordRefusal(message)) return advice;
  if (tls.mode === 'disable') {
    if (!(await loginSucceedsOverTls(config))) return advice;
    return (
      'options.tls.mode is disable: a server that requires TLS (require_secure_transport=ON, or an account ' +
      'created with REQUIRE SSL) refuses the login this way, and this server accepted the same login over TLS; ' +
      'set options.tls.mode to verify-full'
    );
  }
  if (tls.cert !== undefined) return advice;
  const x509 =
    'if the password is right and the account was created with REQUIRE X509 (or SUBJECT/ISSUER), it needs a ' +
    'client certificate: set options.tls.cert and options.tls.key';
  return advice ? `${advice}; ${x509}` : x509;
}

/** "Access denied" for the login itself, with a password sent (not for a database, not without one). */
function isPasswordRefusal(message: string): boolean {
  return (
    /Access denied for user/i.test(message) &&
    !/to database '/i.test(message) &&
    !/using password: NO/i.test(message)
  );
}

async function loginSucceedsOverTls(config: MysqlConfig): Promise<boolean> {
  const options = { ...clientOptions(config, { mode: 'require' }), connectTimeout: PROBE_TIMEOUT_MS };
  try {
    const session = await mysql.createConnection(options);
    await session.end().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}
