import type { ServerFlavor } from './server-flavor.js';

/**
 * What to do about a failed login, from the driver's error message (`flavor` when the server's
 * version is known). mysql2 speaks `caching_sha2_password` (MySQL 8's default) itself, fetching the
 * server's RSA key when a full authentication runs over a connection without TLS; this explains
 * the cases it cannot handle and the server's refusals. Undefined when the message is not about
 * authentication.
 */
export function authenticationHint(errorMessage: string, flavor?: ServerFlavor): string | undefined {
  const denied = /Access denied for user '((?:[^'\\]|''|\\.)*)'@'([^']*)'/i.exec(errorMessage);
  const account = denied ? `'${denied[1]}'@'${denied[2]}'` : "'<user>'@'<host>'";
  if (/caching_sha2_password|DECODER routines|public key|secure connection/i.test(errorMessage))
    return cachingSha2Hint(flavor);
  const unknownPlugin = /unknown plugin (\S+)/i.exec(errorMessage);
  if (unknownPlugin) return unsupportedPluginHint(unknownPlugin[1] ?? '', flavor);
  if (/mysql_clear_password/i.test(errorMessage))
    return (
      'the account authenticates with a plugin that needs the password in clear text (PAM, LDAP), which ' +
      `Tributary does not send: give it a password-based plugin, e.g. ${alterUser('<user>', flavor)}`
    );
  if (/Plugin '?mysql_native_password'? is not loaded/i.test(errorMessage))
    return (
      'the account uses mysql_native_password, which MySQL 8.4 no longer loads by default (9.0 removed it): ' +
      alterUser('<user>', undefined)
    );
  const database = /to database '((?:[^']|'')*)'/i.exec(errorMessage);
  if (denied && database)
    return `the account may not use database ${database[1]}: GRANT SELECT ON \`${(database[1] ?? '').replaceAll('`', '``')}\`.* TO ${account}`;
  if (denied && /using password: NO/i.test(errorMessage))
    return 'no password was sent: set the connector password to the account password';
  if (denied)
    return (
      `the server refused ${account}: check the password, and that an account for this user matches the host ` +
      `${denied[2]} the server sees (SELECT user, host, plugin FROM mysql.user as an administrator); ` +
      `to create one: CREATE USER '${denied[1]}'@'%' IDENTIFIED BY '<password>'` +
      (flavor?.kind === 'mysql'
        ? `; if the password is right and the account uses caching_sha2_password, ${cachingSha2Hint(flavor)}`
        : '')
    );
  return undefined;
}

function cachingSha2Hint(flavor: ServerFlavor | undefined): string {
  const native =
    flavor === undefined || (flavor.kind === 'mysql' && flavor.major === 8 && flavor.minor < 4)
      ? "; on MySQL 8.0 the account may instead use ALTER USER '<user>'@'<host>' IDENTIFIED WITH mysql_native_password BY '<password>'"
      : '';
  return (
    'caching_sha2_password needs TLS or the server RSA key for a full authentication (the first login after a ' +
    'restart or FLUSH PRIVILEGES) and the server offered neither: give the server its RSA key pair ' +
    '(caching_sha2_password_auto_generate_rsa_keys=ON, or caching_sha2_password_private_key_path / ' +
    "public_key_path) or enable TLS, then set the password again with ALTER USER '<user>'@'<host>' IDENTIFIED " +
    `WITH caching_sha2_password BY '<password>'${native}`
  );
}

function unsupportedPluginHint(plugin: string, flavor: ServerFlavor | undefined): string {
  return (
    `the account authenticates with ${plugin}, which the MySQL driver cannot speak: switch it to a plugin it ` +
    `supports, e.g. ${alterUser('<user>', flavor)}`
  );
}

function alterUser(user: string, flavor: ServerFlavor | undefined): string {
  if (flavor?.kind === 'mariadb')
    return `ALTER USER '${user}'@'<host>' IDENTIFIED VIA mysql_native_password USING PASSWORD('<password>')`;
  return `ALTER USER '${user}'@'<host>' IDENTIFIED WITH caching_sha2_password BY '<password>'`;
}
