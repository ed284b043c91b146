import type { Row, TableRef } from '../../../core/plugin/index.js';
import {
  dropMemoryDatabase,
  MemoryDatabase,
  type MemoryTransaction,
  memoryPlugin,
  registerMemoryDatabase,
} from '../../../plugins/memory/index.js';
import type {
  ContractColumn,
  ContractColumnType,
  ContractSource,
  ContractStatement,
  ContractTarget,
} from '../../contract/index.js';

const MEMORY_TYPES: Record<ContractColumnType, string> = {
  integer: 'integer',
  text: 'text',
  decimal: 'decimal(12,2)',
  boolean: 'boolean',
  timestamp: 'timestamp',
};

const toSpec = (column: ContractColumn) => ({ name: column.name, type: MEMORY_TYPES[column.type] });

/** The contract suite's handle on a memory database: each statement is one memory-database commit. */
export class MemoryContractSource implements ContractSource {
  constructor(readonly database: MemoryDatabase) {}

  async createTable(
    name: string,
    columns: readonly ContractColumn[],
    primaryKey: readonly string[],
  ): Promise<TableRef> {
    this.database.createTable(name, { columns: columns.map(toSpec), primaryKey });
    return { database: this.database.name, schema: null, name };
  }

  async insert(table: TableRef, rows: readonly Row[]): Promise<void> {
    this.database.insert(table.name, rows);
  }

  async update(table: TableRef, key: Row, values: Row): Promise<void> {
    this.database.update(table.name, key, values);
  }

  async delete(table: TableRef, key: Row): Promise<void> {
    this.database.delete(table.name, key);
  }

  async transaction(statements: readonly ContractStatement[]): Promise<void> {
    this.database.transaction((tx) => {
      for (const statement of statements) run(tx, statement);
    });
  }

  async addColumn(table: TableRef, column: ContractColumn): Promise<void> {
    this.database.addColumn(table.name, toSpec(column));
  }

  async truncate(table: TableRef): Promise<void> {
    this.database.truncate(table.name);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    dropMemoryDatabase(this.database.name);
  }
}

function run(tx: MemoryTransaction, statement: ContractStatement): void {
  if (statement.op === 'insert') tx.insert(statement.table.name, statement.rows);
  else if (statement.op === 'update') tx.update(statement.table.name, statement.key, statement.values);
  else tx.delete(statement.table.name, statement.key);
}

let databases = 0;

/** A fresh, registered memory database with the memory plugin and a config that reaches it. */
export async function memoryContractTarget(): Promise<ContractTarget> {
  databases += 1;
  const database = registerMemoryDatabase(new MemoryDatabase(`contract_${process.pid}_${databases}`));
  return {
    plugin: memoryPlugin,
    config: { host: 'localhost', port: 5432, user: 'contract', password: 'unused', database: database.name },
    source: new MemoryContractSource(database),
  };
}
