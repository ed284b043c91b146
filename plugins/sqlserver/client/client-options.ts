import type { ConnectionConfiguration } from 'tedious';
import type { TlsMaterial } from '../../../core/plugin/kit.js';
import type { SqlServerConfig } from '../config.js';
import { requireEncryptionConnector } from './encryption-guard.js';

/**
 * tedious settings for `config` with the TLS mapping of core's modes:
 * - `disable`: `encrypt: false` (a server that forces encryption refuses; the message says so);
 * - `require`: `encrypt: true, trustServerCertificate: true` (encrypted, certificate unchecked);
 * - `verify-full`: `encrypt: true`, the certificate checked against `ca` (or the system store)
 *   and the host name;
 * - `verify-ca` cannot be expressed (tedious always checks the host name): refused by the config.
 * With TLS on, the socket comes from `requireEncryptionConnector`, so a server that declines
 * encryption never receives the login.
 */
export function tediousConfiguration(
  config: SqlServerConfig,
  tls: TlsMaterial,
  stallTimeoutMs: number,
): ConnectionConfiguration {
  const encrypted = tls.mode !== 'disable';
  return {
    server: config.host,
    authentication: { type: 'default', options: { userName: config.user, password: config.password } },
    options: {
      port: config.port,
      database: config.database,
      appName: 'tributary',
      connectTimeout: config.options.connectTimeoutMs,
      requestTimeout: stallTimeoutMs,
      useUTC: true,
      encrypt: encrypted,
      trustServerCertificate: tls.mode === 'require',
      ...(tls.ca !== undefined ? { cryptoCredentialsDetails: { ca: tls.ca } } : {}),
      ...(encrypted ? { connector: requireEncryptionConnector(config.host, config.port) } : {}),
    },
  };
}
