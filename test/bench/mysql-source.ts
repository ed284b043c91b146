import mysql from 'mysql2/promise';
import { MARIADB_ADMIN, type MariadbServer, startMariadb } from '../support/mariadb-server.js';
import type { Cleanup } from './cleanup.js';

/**
 * The MariaDB side of the MySQL section: a throwaway server (test/support's harness: its own
 * datadir, port and socket, binary log in ROW format with full images) with one database.
 */
export interface MysqlBenchSource {
  /** The source database, whose `bench` table is replicated. */
  readonly name: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** mariadbd's process id, for its CPU. */
  readonly pid: number;
  readonly version: string;
  /** A small pool on the database for the bench's own statements; ended by the cleanup. */
  readonly pool: mysql.Pool;
}

const DATABASE = 'benchsrc';

/**
 * Server options on top of the harness's: a buffer pool that holds the whole table, so the
 * snapshot readers find it in memory whichever goes first.
 */
const SETTINGS = { innodb_buffer_pool_size: '2G' } as const;

/** Starts MariaDB and creates the (utf8mb4) source database; the cleanup stops the server and removes it. */
export async function startMysqlSource(cleanup: Cleanup): Promise<MysqlBenchSource> {
  const server: MariadbServer = await startMariadb('bench', SETTINGS);
  cleanup.defer('stop MariaDB', () => server.stop());
  const admin = await mysql.createConnection(server.url);
  let version: string;
  try {
    await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    version = String(rows[0]?.version ?? '?');
  } finally {
    await admin.end();
  }
  const pool = mysql.createPool({
    uri: server.url,
    database: DATABASE,
    connectionLimit: 2,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  cleanup.defer(`close the pool on ${DATABASE}`, () => pool.end());
  return {
    name: DATABASE,
    host: server.host,
    port: server.port,
    user: MARIADB_ADMIN.user,
    password: MARIADB_ADMIN.password,
    pid: server.pid,
    version,
    pool,
  };
}

/** The `mysql` connector (AddConnectorInput without its name) replicating `bench` of `source`. */
export function mysqlConnector(source: MysqlBenchSource): Record<string, unknown> & { type: string } {
  return {
    type: 'mysql',
    host: source.host,
    port: source.port,
    user: source.user,
    password: source.password,
    database: source.name,
    tables: [`${source.name}.bench`],
  };
}

/** Rows of a statement run at the source. */
export async function mysqlRows<T>(
  source: MysqlBenchSource,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const [rows] = await source.pool.query<mysql.RowDataPacket[]>(sql, values);
  return rows as T[];
}
