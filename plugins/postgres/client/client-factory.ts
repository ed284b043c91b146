import pg from 'pg';
import type { PluginLogger } from '../../../core/plugin/index.js';
import { describeTlsFailure, nodeTlsOptions, redact, type TlsMaterial } from '../../../core/plugin/kit.js';
import { onAbort } from '../../../core/plugin/on-abort.js';
import type { PostgresConfig } from '../config.js';
import { clientTypes, SESSION_SETTINGS } from './value-parsers.js';

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Settings for every session this plugin opens: the connector's server and login, TLS as
 * `options.tls` says (`tls` holds its files, read at connect), the fixed session settings the
 * value parsers rely on, and the per-client type parsers. `replication` makes the session a
 * walsender (`replication=database`) for slot commands and streaming.
 */
export function clientConfig(config: PostgresConfig, tls: TlsMaterial, replication = false): pg.ClientConfig {
  const settings: pg.ClientConfig & { replication?: 'database' } = {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    ssl: nodeTlsOptions(tls),
    application_name: 'tributary',
    options: SESSION_SETTINGS,
    types: clientTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  };
  if (replication) settings.replication = 'database';
  return settings;
}

/**
 * Opens one session. A failure to connect rejects (a TLS failure with a message saying so); an
 * error on an idle session later is logged (the next query on it fails and reports it). Aborting
 * `signal` while connecting ends the session.
 */
export async function openClient(
  config: PostgresConfig,
  tls: TlsMaterial,
  options: { readonly replication: boolean; readonly signal: AbortSignal; readonly log: PluginLogger },
): Promise<pg.Client> {
  options.signal.throwIfAborted();
  const client = new pg.Client(clientConfig(config, tls, options.replication));
  client.on('error', (error) => options.log.warn('source session failed', { error: error.message }));
  const stop = () => void client.end().catch(() => undefined);
  const stopListening = onAbort(options.signal, stop);
  try {
    await client.connect();
    options.signal.throwIfAborted();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    const tlsFailure = describeTlsFailure(error, tls.mode);
    throw tlsFailure === null ? error : new Error(redact(tlsFailure, config.password), { cause: error });
  } finally {
    stopListening();
  }
}
