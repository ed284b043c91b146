import net from 'node:net';
import type mysql from 'mysql2/promise';
import type { TlsMaterial } from '../../../core/plugin/kit.js';
import type { MysqlConfig } from '../config.js';
import { SNAPSHOT_CONNECTION_OPTIONS } from './value-codec.js';

/**
 * mysql2 options for every session to the source, the binlog connection (ZongJi) included, with
 * TLS as `options.tls` says (`tls` holds its files, read at connect). Never log them: they hold
 * the password and the TLS key.
 */
export function clientOptions(config: MysqlConfig, tls: TlsMaterial): mysql.ConnectionOptions {
  const options: mysql.ConnectionOptions = {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectTimeout: config.options.connectTimeoutMs,
    ...SNAPSHOT_CONNECTION_OPTIONS,
  };
  if (tls.mode === 'disable') return options;
  options.ssl = mysqlSsl(tls);
  if (tls.mode === 'verify-full' && net.isIP(config.host) !== 0)
    options.stream = () => socketNamingAddress(config.host, config.port);
  return options;
}

/**
 * mysql2's `ssl`: `require` encrypts without checking the certificate; `verify-ca` checks the
 * chain (`rejectUnauthorized`); `verify-full` also the host (`verifyIdentity`). The key is not
 * enumerable, so it stays out of logs and JSON.
 */
function mysqlSsl(tls: TlsMaterial): mysql.SslOptions {
  const ssl: mysql.SslOptions & { verifyIdentity?: boolean } = {
    rejectUnauthorized: tls.mode !== 'require',
    verifyIdentity: tls.mode === 'verify-full',
  };
  if (tls.ca !== undefined) ssl.ca = tls.ca;
  if (tls.cert !== undefined) ssl.cert = tls.cert;
  if (tls.key !== undefined) Object.defineProperty(ssl, 'key', { value: tls.key, writable: true });
  return ssl;
}

/**
 * The TCP socket mysql2 would open, but one that remembers the IP address it connects to.
 * mysql2 gives TLS no server name for an IP address (right: SNI takes no addresses), so Node
 * checks the certificate's identity against the socket's `_host`, which `net` leaves unset for an
 * IP address: it would then check `localhost` instead of the address. Setting it makes
 * `verify-full` check the address against the certificate's IP subject alternative names, as
 * libpq does. Should Node stop reading `_host`, the check fails closed (the address is refused).
 */
function socketNamingAddress(host: string, port: number): net.Socket {
  const socket = net.connect({ host, port });
  (socket as net.Socket & { _host: string | null })._host = host;
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  return socket;
}
