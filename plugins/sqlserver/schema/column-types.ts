import type { SourceColumn } from '../../../core/plugin/index.js';
import type { DriverRow } from '../client/sql.js';

/** Types whose `max_length` counts bytes of UTF-16: the length in characters is half. */
const WIDE_TYPES = new Set(['nchar', 'nvarchar']);
const SIZED_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);
const SCALED_TYPES = new Set(['decimal', 'numeric']);
const FRACTION_TYPES = new Set(['time', 'datetime2', 'datetimeoffset']);

/**
 * A column as `sys.columns` describes it. TYPE_NAME(system_type_id) gives the base type
 * (`timestamp` for rowversion columns is reported as `rowversion`); `(max)` columns have no length.
 */
export function columnFromCatalog(row: DriverRow, position: number): SourceColumn {
  const raw = String(row.type_name).toLowerCase();
  const type = raw === 'timestamp' ? 'rowversion' : raw;
  const maxLength = Number(row.max_length);
  const length = SIZED_TYPES.has(type)
    ? maxLength === -1
      ? null
      : WIDE_TYPES.has(type)
        ? maxLength / 2
        : maxLength
    : null;
  return {
    name: String(row.column_name),
    position,
    type,
    length,
    precision: SCALED_TYPES.has(type) ? Number(row.precision) : null,
    scale: SCALED_TYPES.has(type) || FRACTION_TYPES.has(type) ? Number(row.scale) : null,
    nullable: Boolean(row.is_nullable),
    autoIncrement: Boolean(row.is_identity),
  };
}
