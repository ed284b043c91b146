import type { Row, SourceColumn, SourceValue } from '../../../core/plugin/index.js';
import { quote } from '../client/identifiers.js';

/**
 * How a column is read, the same in the snapshot and in the change-table functions (the `_CT`
 * columns keep the source types), so snapshot and stream values are equal: types tedious decodes
 * lossily are converted to text in SQL (decimals and money would become JS numbers, datetime2 a
 * `Date` without its 100 ns digits, datetimeoffset a UTC `Date` without its offset).
 */
const TEXT_PROJECTIONS: Readonly<Record<string, (column: string) => string>> = {
  decimal: (c) => `CONVERT(varchar(41), ${c})`,
  numeric: (c) => `CONVERT(varchar(41), ${c})`,
  money: (c) => `CONVERT(varchar(30), ${c}, 2)`,
  smallmoney: (c) => `CONVERT(varchar(30), ${c}, 2)`,
  bigint: (c) => `CONVERT(varchar(20), ${c})`,
  date: (c) => `CONVERT(varchar(10), ${c}, 23)`,
  // the default style of time is 121's hh:mi:ss.nnnnnnn (style 114 would write hh:mi:ss:mmm)
  time: (c) => `CONVERT(varchar(16), ${c})`,
  datetime: (c) => `CONVERT(varchar(27), ${c}, 121)`,
  datetime2: (c) => `CONVERT(varchar(27), ${c}, 121)`,
  smalldatetime: (c) => `CONVERT(varchar(27), ${c}, 121)`,
  datetimeoffset: (c) => `CONVERT(varchar(34), ${c}, 121)`,
  uniqueidentifier: (c) => `CONVERT(varchar(36), ${c})`,
  // legacy LOBs come as text pointers (TEXTTYPE); their (max) successors as plain values
  text: (c) => `CONVERT(varchar(max), ${c})`,
  ntext: (c) => `CONVERT(nvarchar(max), ${c})`,
  sql_variant: (c) => `CONVERT(nvarchar(max), ${c})`,
  xml: (c) => `CONVERT(nvarchar(max), ${c})`,
  hierarchyid: (c) => `CONVERT(varbinary(max), ${c})`,
  geometry: (c) => `CONVERT(varbinary(max), ${c})`,
  geography: (c) => `CONVERT(varbinary(max), ${c})`,
};

/** Types whose varbinary projection SynchDB carries as base64 text. */
const BASE64_TYPES = new Set(['geometry', 'geography', 'hierarchyid']);

/** The select-list item for `column`: `<expression> AS [name]`. */
export function projectColumn(column: SourceColumn): string {
  const name = quote(column.name);
  const project = TEXT_PROJECTIONS[column.type];
  return `${project ? project(name) : name} AS ${name}`;
}

/** The select list of `columns`, in order. */
export function projectColumns(columns: readonly SourceColumn[]): string {
  return columns.map(projectColumn).join(', ');
}

/** A decoded value in its SourceValue form. */
export function toSourceValue(column: SourceColumn, value: unknown): SourceValue {
  if (value === null || value === undefined) return null;
  if (BASE64_TYPES.has(column.type) && Buffer.isBuffer(value)) return value.toString('base64');
  if (column.type === 'datetime2' || column.type === 'datetime' || column.type === 'smalldatetime')
    return trimFraction(String(value));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Buffer.isBuffer(value) || value instanceof Date || typeof value === 'bigint') return value;
  return String(value);
}

/** Style 121 writes `.0000000` for datetime2(7); a whole second keeps no fraction digits. */
function trimFraction(text: string): string {
  return text.replace(/\.0+$/, '');
}

/** A row of `columns` from a driver row keyed by column name. */
export function toRow(columns: readonly SourceColumn[], values: Readonly<Record<string, unknown>>): Row {
  const row: Record<string, SourceValue> = {};
  for (const column of columns) row[column.name] = toSourceValue(column, values[column.name]);
  return row;
}
