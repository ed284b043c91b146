import type { ReadTableOptions, Row, SourceTable } from '../../../core/plugin/index.js';
import { quoteTable } from '../client/identifiers.js';
import type { QueryRunner } from '../client/sql.js';
import { tag } from '../client/statements.js';
import { projectColumns, toRow } from '../schema/projection.js';
import { snapshotPageParams, snapshotPageSql } from './snapshot-page.js';

/** Keyset pages of at most `batchSize` rows in key order; a keyless table is read in one query. */
export async function* readPages(
  runner: QueryRunner,
  table: SourceTable,
  options: ReadTableOptions,
): AsyncGenerator<readonly Row[]> {
  const { signal, batchSize } = options;
  const keyed = table.primaryKey.length > 0;
  if (!keyed && options.afterKey)
    throw new Error('afterKey is not supported for tables without a primary key');
  let after = options.afterKey;
  for (;;) {
    signal.throwIfAborted();
    const sql = keyed
      ? snapshotPageSql(table, after !== undefined)
      : `${tag('snapshot-all')} SELECT ${projectColumns(table.columns)} FROM ${quoteTable(table.ref.schema ?? 'dbo', table.ref.name)}`;
    const params = keyed ? snapshotPageParams(table, batchSize, after) : {};
    const rows = (await runner.query(sql, params, signal)).map((row) => toRow(table.columns, row));
    signal.throwIfAborted();
    if (!keyed) {
      for (let at = 0; at < rows.length; at += batchSize) yield rows.slice(at, at + batchSize);
      return;
    }
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1] ?? {};
    after = table.primaryKey.map((key) => last[key] ?? null);
  }
}
