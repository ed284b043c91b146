import type { Row, SourceTable, SourceValue } from '../../../core/plugin/index.js';
import { withNumberValues } from '../logminer/number-values.js';
import { binaryNumber, convertRedoValue, typeFamily } from '../logminer/redo-value-converter.js';

/**
 * A fetched value in the form the stream yields for the same data: fetched text (NUMBER, dates,
 * intervals, CLOB, as `OracleSession` returns them) goes through the same converter as a quoted
 * SQL_REDO literal, so snapshot and stream agree by construction; binary stays a Buffer; a
 * BINARY_FLOAT/DOUBLE number goes through `binaryNumber` as its redo text does.
 */
export function snapshotValue(value: unknown, dataType: string, table: string, column: string): SourceValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'number') {
    const family = typeFamily(dataType);
    if (family === 'binary_float' || family === 'binary_double') return binaryNumber(value, family);
    return Number.isFinite(value) ? value : String(value);
  }
  return convertRedoValue({ form: 'string', text: String(value) }, dataType, table, column);
}

/** A fetched row (upper-case column names as Oracle spells them) as a Row of `table`. */
export function snapshotRow(row: Readonly<Record<string, unknown>>, table: SourceTable): Row {
  const out: Record<string, SourceValue> = Object.create(null) as Record<string, SourceValue>;
  for (const column of table.columns) {
    out[column.name] = snapshotValue(row[column.name], column.type, table.ref.name, column.name);
  }
  return withNumberValues(out, table.columns);
}
