import type { Row, TableRef } from '../../core/plugin/index.js';
import type { ContractColumn, ContractSource, ContractStatement } from './contract-target.js';

/**
 * A ContractSource whose single-row calls are one-statement transactions: subclasses implement
 * `transaction` (and the table calls) only.
 */
export abstract class TransactionalContractSource implements ContractSource {
  abstract createTable(
    name: string,
    columns: readonly ContractColumn[],
    primaryKey: readonly string[],
  ): Promise<TableRef>;
  abstract transaction(statements: readonly ContractStatement[]): Promise<void>;
  abstract addColumn(table: TableRef, column: ContractColumn): Promise<void>;
  abstract truncate(table: TableRef): Promise<void>;
  abstract [Symbol.asyncDispose](): Promise<void>;

  async insert(table: TableRef, rows: readonly Row[]): Promise<void> {
    await this.transaction([{ op: 'insert', table, rows }]);
  }

  async update(table: TableRef, key: Row, values: Row): Promise<void> {
    await this.transaction([{ op: 'update', table, key, values }]);
  }

  async delete(table: TableRef, key: Row): Promise<void> {
    await this.transaction([{ op: 'delete', table, key }]);
  }
}
