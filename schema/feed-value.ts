/**
 * How a row's values appear in the `changes` feed (JSON, so every client reads them alike):
 * binary values (bytea, BLOB, VARBINARY) as base64 strings; 64-bit integers as decimal strings
 * (plugins deliver them as text or as a JS `bigint`, which JSON cannot carry); instants as
 * ISO-8601 strings; every other value as JSON already shows it. JSON column values pass as they are.
 */
export function feedValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** A row of the `changes` feed with its values as `feedValue` shows them; null stays null. */
export function feedRow(row: unknown): Record<string, unknown> | null {
  if (row === null || row === undefined || typeof row !== 'object') return null;
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, feedValue(value)]));
}
