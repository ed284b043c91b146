import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import type { TableRef } from '../../../core/plugin/index.js';
import { mysqlPlugin } from '../../../plugins/mysql/index.js';
import {
  type ContractColumn,
  type ContractColumnType,
  type ContractStatement,
  type ContractTarget,
  type SqlDialect,
  statementSql,
  TransactionalContractSource,
} from '../../contract/index.js';

const MYSQL_TYPES: Record<ContractColumnType, string> = {
  integer: 'int',
  text: 'text',
  decimal: 'decimal(12,2)',
  boolean: 'bit(1)',
  timestamp: 'datetime',
};

export const ident = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** A fresh database in the shared MariaDB, dropped on dispose. */
export interface MysqlDatabase extends AsyncDisposable {
  readonly name: string;
  /** Admin URL of the server (no database). */
  readonly serverUrl: string;
  /** Runs one statement in the database on a shared session (autocommit). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** A new session in the database; the caller ends it. */
  session(): Promise<mysql.Connection>;
}

export async function createMysqlDatabase(
  prefix = 'test',
  serverUrl = inject('mariadbUrl'),
): Promise<MysqlDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection(serverUrl);
  await admin.query(`CREATE DATABASE ${ident(name)}`);
  await admin.end();
  const session = () => mysql.createConnection({ uri: serverUrl, database: name, supportBigNumbers: true });
  const shared = await session();
  return {
    name,
    serverUrl,
    session,
    async query<R>(text: string, values: unknown[] = []) {
      const [rows] = await shared.query(text, values);
      return (Array.isArray(rows) ? rows : []) as R[];
    },
    async [Symbol.asyncDispose]() {
      await shared.query(`DROP DATABASE IF EXISTS ${ident(name)}`).catch(() => undefined);
      await shared.end();
    },
  };
}

/** The contract suite's handle on a fresh MariaDB database. */
export class MysqlContractSource extends TransactionalContractSource {
  constructor(readonly database: MysqlDatabase) {
    super();
  }

  async createTable(name: string, columns: readonly ContractColumn[], primaryKey: readonly string[]) {
    const definitions = columns.map(
      (column) =>
        `${ident(column.name)} ${MYSQL_TYPES[column.type]}${primaryKey.includes(column.name) ? ' NOT NULL' : ''}`,
    );
    if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(ident).join(', ')})`);
    await this.database.query(`CREATE TABLE ${ident(name)} (${definitions.join(', ')})`);
    return { database: this.database.name, schema: null, name };
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    const session = await this.database.session();
    try {
      await session.beginTransaction();
      for (const statement of statements) {
        for (const [text, values] of statementSql(statement, MYSQL_SQL)) await session.query(text, values);
      }
      await session.commit();
    } finally {
      await session.end();
    }
  }

  async addColumn(table: TableRef, column: ContractColumn): Promise<void> {
    await this.database.query(
      `ALTER TABLE ${ident(table.name)} ADD COLUMN ${ident(column.name)} ${MYSQL_TYPES[column.type]}`,
    );
  }

  async truncate(table: TableRef): Promise<void> {
    await this.database.query(`TRUNCATE TABLE ${ident(table.name)}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.database[Symbol.asyncDispose]();
  }
}

const MYSQL_SQL: SqlDialect = {
  table: (ref) => ident(ref.name),
  ident,
  placeholder: () => '?',
  value: (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value),
};

/** An administrator config reaching `database`, as a user would enter it. */
export function mysqlConfig(
  database: MysqlDatabase,
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  const url = new URL(database.serverUrl);
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database.name,
    options: { heartbeatIntervalMs: 500, ...options },
  };
}

/** A fresh database in the shared MariaDB, with the MySQL plugin. */
export async function mysqlContractTarget(): Promise<ContractTarget> {
  const database = await createMysqlDatabase('contract');
  return { plugin: mysqlPlugin, config: mysqlConfig(database), source: new MysqlContractSource(database) };
}
