import { randomBytes } from 'node:crypto';
import type { TableRef } from '../../../core/plugin/index.js';
import { openOracledbSession } from '../../../plugins/oracle/client/oracledb-session.js';
import type { OracleEndpoint, OracleSession } from '../../../plugins/oracle/client/session.js';
import { quotedTable, quoteIdent, SESSION_SETUP, setContainer } from '../../../plugins/oracle/client/sql.js';
import { oraclePlugin } from '../../../plugins/oracle/index.js';
import {
  type ContractColumn,
  type ContractColumnType,
  type ContractStatement,
  type ContractTarget,
  statementSql,
  TransactionalContractSource,
} from '../../contract/index.js';

/**
 * `TEST_ORACLE_URL=oracle://system:password@host:1521/FREE?pdb=FREEPDB1`: a common DBA user on the
 * CDB root service, reaching the PDB holding the tables by SET CONTAINER, as a common-user
 * connector does (mining runs in the root). For a non-CDB database, name its service, no `pdb`. The database must be in ARCHIVELOG mode with minimal
 * supplemental logging on (see plugins/oracle/README.md).
 */
export const oracleUrl = process.env.TEST_ORACLE_URL;

/** The contract's column types on Oracle before 23ai (no BOOLEAN). */
const ORACLE_TYPES: Record<ContractColumnType, string> = {
  integer: 'NUMBER(9)',
  text: 'VARCHAR2(4000)',
  decimal: 'NUMBER(12,2)',
  boolean: 'NUMBER(1)',
  timestamp: 'DATE',
};

export function endpointOf(url: URL): OracleEndpoint {
  return {
    host: url.hostname,
    port: Number(url.port || 1521),
    service: url.pathname.replace(/^\//, ''),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    connectTimeoutMs: 10_000,
    tls: null,
  };
}

/** A session of the URL's user through the plugin's own adapter, NLS set, in the PDB if one is named. */
export async function adminSession(url: URL): Promise<OracleSession> {
  const session = await openOracledbSession(endpointOf(url));
  for (const statement of SESSION_SETUP) await session.execute(statement);
  const pdb = url.searchParams.get('pdb');
  if (pdb !== null) await session.execute(setContainer(pdb));
  return session;
}

/**
 * The contract suite's handle on a real Oracle: a fresh schema (user `TRIB_<hex>`, dropped with
 * CASCADE on dispose) whose tables get ALL COLUMNS supplemental logging at creation. Each contract
 * transaction is one PL/SQL block, so it commits as one transaction. The connector logs in as the
 * URL's user and reads the fresh schema.
 */
export class RealOracleContractSource extends TransactionalContractSource {
  constructor(
    readonly session: OracleSession,
    readonly database: string,
    readonly schema: string,
  ) {
    super();
  }

  async createTable(name: string, columns: readonly ContractColumn[], primaryKey: readonly string[]) {
    const list = columns.map((column) => `${quoteIdent(column.name)} ${ORACLE_TYPES[column.type]}`);
    if (primaryKey.length > 0) list.push(`PRIMARY KEY (${primaryKey.map(quoteIdent).join(', ')})`);
    const table = quotedTable(this.schema, name);
    await this.session.execute(`CREATE TABLE ${table} (${list.join(', ')})`);
    await this.session.execute(`ALTER TABLE ${table} ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS`);
    return { database: this.database, schema: this.schema, name };
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    const dialect = {
      table: (ref: TableRef) => quotedTable(this.schema, ref.name),
      ident: quoteIdent,
      placeholder: (index: number) => `:${index}`,
      value: (value: unknown) => (typeof value === 'boolean' ? Number(value) : value),
    };
    const binds: unknown[] = [];
    const body: string[] = [];
    for (const statement of statements) {
      for (const [sql, values] of statementSql(statement, dialect)) {
        const offset = binds.length; // each statement numbers from :1; the block numbers them all
        body.push(sql.replace(/:(\d+)/g, (_, index: string) => `:${offset + Number(index)}`));
        binds.push(...values);
      }
    }
    await this.session.execute(`BEGIN ${body.map((sql) => `${sql}; `).join('')}COMMIT; END;`, binds);
  }

  async addColumn(table: TableRef, column: ContractColumn): Promise<void> {
    await this.session.execute(
      `ALTER TABLE ${quotedTable(this.schema, table.name)} ADD (${quoteIdent(column.name)} ${ORACLE_TYPES[column.type]})`,
    );
  }

  async truncate(table: TableRef): Promise<void> {
    await this.session.execute(`TRUNCATE TABLE ${quotedTable(this.schema, table.name)}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.session.execute(`DROP USER ${quoteIdent(this.schema)} CASCADE`).catch(() => undefined);
    await this.session.close();
  }
}

/** A fresh schema on the real server and the real plugin reading it. */
export async function realOracleTarget(): Promise<ContractTarget> {
  const url = new URL(oracleUrl ?? '');
  const session = await adminSession(url);
  const schema = `TRIB_${randomBytes(4).toString('hex').toUpperCase()}`;
  await session.execute(
    `CREATE USER ${quoteIdent(schema)} IDENTIFIED BY "${randomBytes(12).toString('hex')}" QUOTA UNLIMITED ON USERS`,
  );
  const endpoint = endpointOf(url);
  const pdb = url.searchParams.get('pdb');
  return {
    plugin: oraclePlugin,
    config: {
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      password: endpoint.password,
      database: endpoint.service,
      schema,
      options: { pollIntervalMs: 500, ...(pdb === null ? {} : { pdb }) },
    },
    source: new RealOracleContractSource(session, endpoint.service, schema),
  };
}
