import pg from 'pg';
import { inject } from 'vitest';
import type { TableRef } from '../../../core/plugin/index.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';
import {
  type ContractColumn,
  type ContractColumnType,
  type ContractStatement,
  type ContractTarget,
  type SqlDialect,
  statementSql,
  TransactionalContractSource,
} from '../../contract/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const POSTGRES_TYPES: Record<ContractColumnType, string> = {
  integer: 'integer',
  text: 'text',
  decimal: 'numeric(12,2)',
  boolean: 'boolean',
  timestamp: 'timestamp',
};

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const tableName = (ref: TableRef) => `${ident(ref.schema ?? 'public')}.${ident(ref.name)}`;

/**
 * The contract suite's handle on a fresh PostgreSQL database: tables in `public`, each statement
 * one transaction on a session of its own. Disposing drops the database's replication slots
 * (ending the walsenders holding them), then the database.
 */
export class PostgresContractSource extends TransactionalContractSource {
  private client: pg.Client | undefined;

  constructor(readonly database: TestDatabase) {
    super();
  }

  async createTable(name: string, columns: readonly ContractColumn[], primaryKey: readonly string[]) {
    const ref = { database: this.database.name, schema: 'public', name };
    const definitions = columns.map(
      (column) =>
        `${ident(column.name)} ${POSTGRES_TYPES[column.type]}${primaryKey.includes(column.name) ? ' NOT NULL' : ''}`,
    );
    if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(ident).join(', ')})`);
    await this.run(`CREATE TABLE ${tableName(ref)} (${definitions.join(', ')})`);
    return ref;
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    const client = await this.session();
    await client.query('BEGIN');
    try {
      for (const statement of statements) {
        for (const [text, values] of statementSql(statement, POSTGRES_SQL)) await client.query(text, values);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  async addColumn(table: TableRef, column: ContractColumn): Promise<void> {
    await this.run(
      `ALTER TABLE ${tableName(table)} ADD COLUMN ${ident(column.name)} ${POSTGRES_TYPES[column.type]}`,
    );
  }

  async truncate(table: TableRef): Promise<void> {
    await this.run(`TRUNCATE ${tableName(table)}`);
  }

  /** Runs one statement as its own transaction. */
  async run(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    return (await this.session()).query(text, values);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.client?.end();
    await dropReplicationSlots(this.database);
    await this.database[Symbol.asyncDispose]();
  }

  private async session(): Promise<pg.Client> {
    if (this.client === undefined) {
      this.client = new pg.Client({ connectionString: this.database.url });
      // ended by the server when a test terminates backends; the next statement reports it
      this.client.on('error', () => undefined);
      await this.client.connect();
    }
    return this.client;
  }
}

const POSTGRES_SQL: SqlDialect = { table: tableName, ident, placeholder: (index) => `$${index}` };

/** Drops every replication slot of the database (DROP DATABASE refuses while one exists). */
export async function dropReplicationSlots(database: TestDatabase): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await database.query(
      'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL',
      [database.name],
    );
    try {
      await database.query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1',
        [database.name],
      );
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A superuser config reaching `database`, as a user would enter it. */
export function postgresConfig(
  database: TestDatabase,
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  const url = new URL(database.url);
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database.name,
    options: { heartbeatIntervalMs: 500, ...options },
  };
}

/** A fresh database in the shared source cluster (wal_level=logical), with the PostgreSQL plugin. */
export async function postgresContractTarget(): Promise<ContractTarget> {
  const database = await createTestDatabase(inject('sourceClusterUrl'), 'contract');
  return {
    plugin: postgresPlugin,
    config: postgresConfig(database),
    source: new PostgresContractSource(database),
  };
}
