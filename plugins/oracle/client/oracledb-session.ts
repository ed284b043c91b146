import type { OracleBinds, OracleEndpoint, OracleRow, OracleSession } from './session.js';

/** The few parts of `oracledb` (thin mode, no type package) this adapter uses. */
interface Driver {
  getConnection(options: Record<string, unknown>): Promise<DriverConnection>;
  readonly OUT_FORMAT_OBJECT: number;
  readonly DB_TYPE_NUMBER: unknown;
  readonly DB_TYPE_DATE: unknown;
  readonly DB_TYPE_TIMESTAMP: unknown;
  readonly DB_TYPE_TIMESTAMP_TZ: unknown;
  readonly DB_TYPE_TIMESTAMP_LTZ: unknown;
  readonly DB_TYPE_INTERVAL_DS: unknown;
  readonly DB_TYPE_INTERVAL_YM: unknown;
  readonly DB_TYPE_CLOB: unknown;
  readonly DB_TYPE_NCLOB: unknown;
  readonly DB_TYPE_BLOB: unknown;
  readonly STRING: unknown;
  readonly BUFFER: unknown;
}
interface DriverConnection {
  execute(sql: string, binds: unknown, options: Record<string, unknown>): Promise<DriverResult>;
  close(): Promise<void>;
}
interface DriverResult {
  readonly rows?: OracleRow[];
  readonly resultSet?: { getRows(count: number): Promise<OracleRow[]>; close(): Promise<void> };
}

let driver: Promise<Driver> | undefined;

/** Loads `oracledb` once, on first use (loading the plugin loads no driver). Thin mode is its default. */
function loadDriver(): Promise<Driver> {
  const name = 'oracledb'; // no type package: the few parts used are typed above
  driver ??= import(name).then(
    (module: { default?: Driver }) => module.default ?? (module as unknown as Driver),
  );
  return driver;
}

/**
 * Fetches exact types as text, LOBs whole: NUMBER as its decimal text, date/time and intervals as
 * text through the session's NLS formats (see `SESSION_SETUP`), CLOB/NCLOB as strings, BLOB as
 * Buffer.
 */
function fetchTypeHandler(db: Driver) {
  const asText = new Set([
    db.DB_TYPE_NUMBER,
    db.DB_TYPE_DATE,
    db.DB_TYPE_TIMESTAMP,
    db.DB_TYPE_TIMESTAMP_TZ,
    db.DB_TYPE_TIMESTAMP_LTZ,
    db.DB_TYPE_INTERVAL_DS,
    db.DB_TYPE_INTERVAL_YM,
    db.DB_TYPE_CLOB,
    db.DB_TYPE_NCLOB,
  ]);
  return (metadata: { dbType: unknown }) => {
    if (asText.has(metadata.dbType)) return { type: db.STRING };
    if (metadata.dbType === db.DB_TYPE_BLOB) return { type: db.BUFFER };
    return undefined;
  };
}

/** `host:port/service`, or a TCPS descriptor when TLS is on. */
function connectString(endpoint: OracleEndpoint): string {
  if (endpoint.tls === null) return `${endpoint.host}:${endpoint.port}/${endpoint.service}`;
  return (
    `(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=${endpoint.host})(PORT=${endpoint.port}))` +
    `(CONNECT_DATA=(SERVICE_NAME=${endpoint.service})))`
  );
}

/**
 * An `OracleSession` over one `oracledb` thin-mode connection. Exercised only by the integration
 * suite (`TEST_ORACLE_URL`); everything else runs against the LogMiner model.
 */
export async function openOracledbSession(endpoint: OracleEndpoint): Promise<OracleSession> {
  const db = await loadDriver();
  const connection = await db.getConnection({
    user: endpoint.user,
    password: endpoint.password,
    connectString: connectString(endpoint),
    connectTimeout: Math.ceil(endpoint.connectTimeoutMs / 1000),
    expireTime: 1,
    ...(endpoint.tls === null
      ? {}
      : {
          sslServerDNMatch: endpoint.tls.matchHostName,
          ...(endpoint.tls.ca === undefined ? {} : { walletContent: endpoint.tls.ca }),
        }),
  });
  const options = { outFormat: db.OUT_FORMAT_OBJECT, fetchTypeHandler: fetchTypeHandler(db) };
  let closed = false;
  return {
    async execute(sql: string, binds: OracleBinds = {}) {
      const result = await connection.execute(sql, binds, { ...options, autoCommit: true });
      return result.rows ?? [];
    },
    async *query(sql: string, binds: OracleBinds, batchSize: number) {
      const result = await connection.execute(sql, binds, {
        ...options,
        resultSet: true,
        fetchArraySize: batchSize,
      });
      const cursor = result.resultSet;
      if (cursor === undefined) return;
      try {
        for (;;) {
          const rows = await cursor.getRows(batchSize);
          if (rows.length === 0) return;
          yield rows;
        }
      } finally {
        await cursor.close();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await connection.close();
    },
  };
}
