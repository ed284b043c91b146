import type { Row, TableRef } from '../../../core/plugin/index.js';
import { sqlServerPlugin } from '../../../plugins/sqlserver/index.js';
import type {
  ContractColumn,
  ContractColumnType,
  ContractStatement,
  ContractTarget,
} from '../../contract/index.js';
import { TransactionalContractSource } from '../../contract/index.js';
import { type FakeTds, startFakeTds } from '../../support/fake-tds/fake-tds-server.js';
import {
  CdcModel,
  type ModelColumn,
  type ModelRow,
  type ModelStatement,
} from '../../support/mssql-model/cdc-model.js';
import { modelHandler } from '../../support/mssql-model/model-handler.js';

const SQLSERVER_TYPES: Record<ContractColumnType, string> = {
  integer: 'int',
  text: 'nvarchar(max)',
  decimal: 'decimal(12,2)',
  boolean: 'bit',
  timestamp: 'datetime2(0)',
};

export interface ModelTargetOptions {
  /**
   * The SQL Server type of the contract's `text` columns. Default `nvarchar(max)`; the mapping
   * scenarios name the source type `text` in their rules and expect it to land as `text`, which
   * is SQL Server's legacy `text` type (a LOB CDC captures).
   */
  readonly textType?: string;
}

/** The SQL Server type the contract suites create for a contract column. */
export function sqlServerType(column: ContractColumn, options: ModelTargetOptions): string {
  return column.type === 'text' ? (options.textType ?? SQLSERVER_TYPES.text) : SQLSERVER_TYPES[column.type];
}

/**
 * The contract suite's handle on a CDC model behind a fake TDS server: tables are created in
 * `dbo` and enabled for CDC at once (capture instance `dbo_<table>`); an added column gets a new
 * capture instance (`dbo_<table>_<n>`), as SynchDB's procedure does; TRUNCATE is refused with
 * Msg 4711 as SQL Server refuses it on CDC tables.
 */
export class ModelContractSource extends TransactionalContractSource {
  private instanceCount = 0;

  constructor(
    readonly model: CdcModel,
    private readonly fake: FakeTds,
    private readonly options: ModelTargetOptions = {},
  ) {
    super();
  }

  async createTable(
    name: string,
    columns: readonly ContractColumn[],
    primaryKey: readonly string[],
  ): Promise<TableRef> {
    const table = this.model.createTable(
      'dbo',
      name,
      columns.map((column) => this.toColumn(column, !primaryKey.includes(column.name))),
      primaryKey,
    );
    this.model.enableTable(table);
    return { database: this.model.database, schema: 'dbo', name };
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    this.model.commit(statements.map((statement) => this.toModel(statement)));
  }

  async addColumn(ref: TableRef, column: ContractColumn): Promise<void> {
    const table = this.tableOf(ref);
    this.model.addColumn(table, this.toColumn(column, true));
    this.instanceCount += 1;
    this.model.enableTable(table, `dbo_${ref.name}_${this.instanceCount + 1}`);
  }

  async truncate(ref: TableRef): Promise<void> {
    throw new Error(
      `Msg 4711: Cannot truncate table '${ref.schema}.${ref.name}' because it is published for replication or enabled for Change Data Capture.`,
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.fake.close();
  }

  private toColumn(column: ContractColumn, nullable: boolean): ModelColumn {
    return { name: column.name, type: sqlServerType(column, this.options), nullable };
  }

  private tableOf(ref: TableRef) {
    const table = this.model.table(ref.schema ?? 'dbo', ref.name);
    if (!table) throw new Error(`no table ${ref.name}`);
    return table;
  }

  private toModel(statement: ContractStatement): ModelStatement {
    const table = this.tableOf(statement.table);
    const value = (row: Row): ModelRow => row as ModelRow;
    if (statement.op === 'insert') return { op: 'insert', table, rows: statement.rows.map(value) };
    if (statement.op === 'delete') return { op: 'delete', table, key: value(statement.key) };
    return { op: 'update', table, key: value(statement.key), values: value(statement.values) };
  }
}

/** A fresh model behind a fresh fake TDS server, and the plugin's settings that reach it. */
export async function modelContractTarget(options: ModelTargetOptions = {}): Promise<ContractTarget> {
  const model = new CdcModel('testDB');
  const fake = await startFakeTds({
    users: { tributary: 'secret' },
    databases: ['testDB'],
    handler: modelHandler(model),
  });
  return {
    plugin: sqlServerPlugin,
    config: {
      host: '127.0.0.1',
      port: fake.port,
      user: 'tributary',
      password: 'secret',
      database: 'testDB',
      options: { pollIntervalMs: 50 },
    },
    source: new ModelContractSource(model, fake, options),
  };
}
