import type { Row, SourceValue, TableRef } from '../../../core/plugin/index.js';
import {
  type ContractColumn,
  type ContractColumnType,
  type ContractStatement,
  type ContractTarget,
  TransactionalContractSource,
} from '../../contract/index.js';
import { LogMinerModel, type ModelStatement } from '../../support/logminer-model/logminer-model.js';
import type { ModelColumn, ModelRow } from '../../support/logminer-model/model-types.js';
import { modelPlugin, QUICK_START } from './oracle-model.js';

/** Oracle before 23ai has no BOOLEAN: the contract's booleans are NUMBER(1); integers NUMBER(9) (PostgreSQL int). */
const ORACLE_TYPES: Record<ContractColumnType, Omit<ModelColumn, 'name' | 'nullable'>> = {
  integer: { dataType: 'NUMBER', precision: 9, scale: 0 },
  text: { dataType: 'VARCHAR2', charLength: 4000 },
  decimal: { dataType: 'NUMBER', precision: 12, scale: 2 },
  boolean: { dataType: 'NUMBER', precision: 1, scale: 0 },
  timestamp: { dataType: 'DATE' },
};

/** A SourceValue as the model stores it (fetched text). */
function text(value: SourceValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function modelRow(row: Row): ModelRow {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, text(value)]));
}

/** The contract suite's handle on a fresh LogMiner model (schema DBZUSER). */
export class OracleModelContractSource extends TransactionalContractSource {
  constructor(readonly model: LogMinerModel) {
    super();
  }

  async createTable(name: string, columns: readonly ContractColumn[], primaryKey: readonly string[]) {
    this.model.createTable(
      name,
      columns.map((column) => ({
        name: column.name,
        ...ORACLE_TYPES[column.type],
        nullable: !primaryKey.includes(column.name),
      })),
      [...primaryKey],
    );
    return { database: 'FREE', schema: this.model.owner, name };
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    const model: ModelStatement[] = statements.flatMap((statement): ModelStatement[] => {
      const table = statement.table.name;
      if (statement.op === 'insert')
        return statement.rows.map((row) => ({ op: 'insert', table, row: modelRow(row) }));
      if (statement.op === 'update')
        return [{ op: 'update', table, key: modelRow(statement.key), values: modelRow(statement.values) }];
      return [{ op: 'delete', table, key: modelRow(statement.key) }];
    });
    this.model.commit(model);
  }

  async addColumn(table: TableRef, column: ContractColumn): Promise<void> {
    this.model.addColumn(table.name, { name: column.name, ...ORACLE_TYPES[column.type], nullable: true });
  }

  async truncate(table: TableRef): Promise<void> {
    this.model.truncate(table.name);
  }

  async [Symbol.asyncDispose](): Promise<void> {}
}

/** A fresh model with the plugin reading it. */
export async function oracleModelContractTarget(): Promise<ContractTarget> {
  const model = new LogMinerModel('DBZUSER');
  return { plugin: modelPlugin(model), config: QUICK_START, source: new OracleModelContractSource(model) };
}
