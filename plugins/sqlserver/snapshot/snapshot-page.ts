import { TYPES } from 'tedious';
import type { SourceColumn, SourceTable } from '../../../core/plugin/index.js';
import { quote, quoteTable } from '../client/identifiers.js';
import type { Parameter } from '../client/sql.js';
import { tag } from '../client/statements.js';
import { projectColumns } from '../schema/projection.js';

/**
 * `WHERE` for "strictly after this key" without row-value comparison (T-SQL has none):
 * `k1 > @k0 OR (k1 = @k0 AND k2 > @k1) ...`.
 */
export function keysetCondition(keys: readonly string[], prefix = 'k'): string {
  const terms = keys.map((key, index) => {
    const equal = keys.slice(0, index).map((earlier, at) => `${quote(earlier)} = @${prefix}${at}`);
    return `(${[...equal, `${quote(key)} > @${prefix}${index}`].join(' AND ')})`;
  });
  return terms.join(' OR ');
}

/** One keyset page of a table, in key order: `TOP (@batch) <projection> ... ORDER BY <key>`. */
export function snapshotPageSql(table: SourceTable, after: boolean): string {
  const keys = table.primaryKey;
  const where = after ? ` WHERE ${keysetCondition(keys)}` : '';
  return `${tag('snapshot-page')} SELECT TOP (@batch) ${projectColumns(table.columns)} FROM ${quoteTable(
    table.ref.schema ?? 'dbo',
    table.ref.name,
  )}${where} ORDER BY ${keys.map(quote).join(', ')}`;
}

/** The parameters of a snapshot page: the batch size and the key values to resume after. */
export function snapshotPageParams(
  table: SourceTable,
  batchSize: number,
  after: readonly unknown[] | undefined,
): Record<string, Parameter> {
  const params: Record<string, Parameter> = { batch: { type: TYPES.Int, value: batchSize } };
  table.primaryKey.forEach((key, index) => {
    if (after === undefined) return;
    const column = table.columns.find((c) => c.name === key);
    params[`k${index}`] = keyParameter(column, after[index]);
  });
  return params;
}

/** A key value as a parameter: integers and bits natively, binary as bytes, the rest as text. */
export function keyParameter(column: SourceColumn | undefined, value: unknown): Parameter {
  const type = column?.type ?? '';
  if (['int', 'smallint', 'tinyint'].includes(type)) return { type: TYPES.Int, value };
  if (type === 'bit') return { type: TYPES.Bit, value };
  if (Buffer.isBuffer(value)) return { type: TYPES.VarBinary, value };
  return { type: TYPES.NVarChar, value: value === null ? null : String(value) };
}
