import { randomBytes } from 'node:crypto';
import { Connection, Request, TYPES } from 'tedious';
import type { TableRef } from '../../../core/plugin/index.js';
import { quote, quoteTable } from '../../../plugins/sqlserver/client/identifiers.js';
import { type Parameter, type QueryRunner, queryRunner } from '../../../plugins/sqlserver/client/sql.js';
import { sqlServerPlugin } from '../../../plugins/sqlserver/index.js';
import {
  type ContractColumn,
  type ContractStatement,
  type ContractTarget,
  statementSql,
  TransactionalContractSource,
} from '../../contract/index.js';
import { type ModelTargetOptions, sqlServerType } from './model-contract-source.js';

/** A plain-text tedious session on the real server of `TEST_MSSQL_URL`, with the plugin's query runner. */
export interface AdminSession {
  readonly connection: Connection;
  readonly runner: QueryRunner;
}

/** Connects as the URL's user (a sysadmin for the suites) to `database`. */
export async function adminSession(server: URL, database = 'master'): Promise<AdminSession> {
  const connection = new Connection({
    server: server.hostname,
    authentication: {
      type: 'default',
      options: {
        userName: decodeURIComponent(server.username),
        password: decodeURIComponent(server.password),
      },
    },
    options: { port: Number(server.port || 1433), database, encrypt: false, trustServerCertificate: true },
  });
  await new Promise<void>((resolve, reject) =>
    connection.connect((error) => (error ? reject(error) : resolve())),
  );
  return { connection, runner: queryRunner(connection, Request, 60_000) };
}

/** The real server the env-gated suites run against: `mssql://sa:password@host:1433`. */
export const TEST_MSSQL_URL = process.env.TEST_MSSQL_URL;

const literal = (text: string) => `N'${text.replaceAll("'", "''")}'`;

function parameter(value: unknown): Parameter {
  if (typeof value === 'number' && Number.isInteger(value)) return { type: TYPES.Int, value };
  if (typeof value === 'boolean') return { type: TYPES.Bit, value };
  return { type: TYPES.NVarChar, value: value === null || value === undefined ? null : String(value) };
}

/**
 * A ContractSource on a real SQL Server: a fresh database with snapshot isolation and CDC on; each
 * table enabled for CDC at creation, an added column given a new capture instance. Needs sysadmin and
 * a running SQL Server Agent.
 */
export class RealContractSource extends TransactionalContractSource {
  private instances = 0;

  constructor(
    private readonly server: URL,
    readonly database: string,
    readonly session: AdminSession,
    private readonly options: ModelTargetOptions = {},
  ) {
    super();
  }

  async createTable(
    name: string,
    columns: readonly ContractColumn[],
    primaryKey: readonly string[],
  ): Promise<TableRef> {
    const list = columns.map(
      (column) =>
        `${quote(column.name)} ${this.typeOf(column)} ${primaryKey.includes(column.name) ? 'NOT NULL' : 'NULL'}`,
    );
    if (primaryKey.length > 0) list.push(`PRIMARY KEY (${primaryKey.map(quote).join(', ')})`);
    await this.session.runner.batch(`CREATE TABLE ${quoteTable('dbo', name)} (${list.join(', ')})`);
    await this.session.runner.batch(
      `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = ${literal(name)}, @role_name = NULL, @supports_net_changes = 0`,
    );
    return { database: this.database, schema: 'dbo', name };
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    const dialect = {
      table: (ref: TableRef) => quoteTable(ref.schema ?? 'dbo', ref.name),
      ident: quote,
      placeholder: (index: number) => `@p${index}`,
    };
    await this.session.runner.batch('BEGIN TRAN');
    try {
      for (const statement of statements) {
        for (const [sql, values] of statementSql(statement, dialect)) {
          const params = Object.fromEntries(values.map((value, i) => [`p${i + 1}`, parameter(value)]));
          await this.session.runner.query(sql, params);
        }
      }
      await this.session.runner.batch('COMMIT');
    } catch (error) {
      await this.session.runner.batch('IF @@TRANCOUNT > 0 ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async addColumn(table: TableRef, column: ContractColumn): Promise<void> {
    await this.session.runner.batch(
      `ALTER TABLE ${quoteTable('dbo', table.name)} ADD ${quote(column.name)} ${this.typeOf(column)} NULL`,
    );
    this.instances += 1;
    await this.session.runner.batch(
      `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = ${literal(table.name)}, @role_name = NULL, @capture_instance = ${literal(`dbo_${table.name}_${this.instances + 1}`)}, @supports_net_changes = 0`,
    );
  }

  async truncate(table: TableRef): Promise<void> {
    // SQL Server refuses it on a CDC table (Msg 4711); the suite runs with `truncate: false`.
    await this.session.runner.batch(`TRUNCATE TABLE ${quoteTable('dbo', table.name)}`);
  }

  private typeOf(column: ContractColumn): string {
    return sqlServerType(column, this.options);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.session.connection.close();
    const master = await adminSession(this.server);
    try {
      await master.runner.batch(
        `ALTER DATABASE ${quote(this.database)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ${quote(this.database)}`,
      );
    } finally {
      master.connection.close();
    }
  }
}

/** A fresh database on the real server, with snapshot isolation and CDC on. */
export async function realTarget(options: ModelTargetOptions = {}): Promise<ContractTarget> {
  const server = new URL(TEST_MSSQL_URL ?? '');
  const database = `tributary_${randomBytes(5).toString('hex')}`;
  const master = await adminSession(server);
  try {
    await master.runner.batch(
      `CREATE DATABASE ${quote(database)}; ALTER DATABASE ${quote(database)} SET ALLOW_SNAPSHOT_ISOLATION ON`,
    );
  } finally {
    master.connection.close();
  }
  const session = await adminSession(server, database);
  await session.runner.batch('EXEC sys.sp_cdc_enable_db');
  return {
    plugin: sqlServerPlugin,
    config: {
      host: server.hostname,
      port: Number(server.port || 1433),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      database,
      options: { pollIntervalMs: 200 },
    },
    source: new RealContractSource(server, database, session, options),
  };
}
