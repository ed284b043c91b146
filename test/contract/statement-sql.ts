import type { TableRef } from '../../core/plugin/index.js';
import type { ContractStatement } from './contract-target.js';

/** How one SQL source spells names, placeholders and values. */
export interface SqlDialect {
  readonly table: (ref: TableRef) => string;
  readonly ident: (name: string) => string;
  /** The placeholder of the `index`-th value (1-based): `$1`, `?`. */
  readonly placeholder: (index: number) => string;
  /** A value as the driver should receive it (MySQL BIT takes 1/0, not booleans). */
  readonly value?: (value: unknown) => unknown;
}

/** A contract statement as SQL statements with parameters, for SQL sources' ContractSources. */
export function statementSql(statement: ContractStatement, dialect: SqlDialect): [string, unknown[]][] {
  const table = dialect.table(statement.table);
  const values = (row: Record<string, unknown>) => Object.values(row).map(dialect.value ?? ((v) => v));
  const assign = (names: string[], from: number, separator: string) =>
    names.map((name, i) => `${dialect.ident(name)} = ${dialect.placeholder(from + i)}`).join(separator);
  if (statement.op === 'insert') {
    return statement.rows.map((row) => {
      const names = Object.keys(row);
      const params = names.map((_, i) => dialect.placeholder(i + 1));
      return [
        `INSERT INTO ${table} (${names.map(dialect.ident).join(', ')}) VALUES (${params.join(', ')})`,
        values(row),
      ];
    });
  }
  const keys = Object.keys(statement.key);
  if (statement.op === 'delete')
    return [[`DELETE FROM ${table} WHERE ${assign(keys, 1, ' AND ')}`, values(statement.key)]];
  const set = Object.keys(statement.values);
  return [
    [
      `UPDATE ${table} SET ${assign(set, 1, ', ')} WHERE ${assign(keys, set.length + 1, ' AND ')}`,
      [...values(statement.values), ...values(statement.key)],
    ],
  ];
}
