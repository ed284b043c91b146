import type { SourceColumn } from '../../../core/plugin/index.js';

/**
 * A column as MySQL's `information_schema.COLUMNS` describes it. `discover` reads these fields from
 * the server; the DDL parser fills the same fields from CREATE/ALTER statements, so a table reaches
 * the core identically whichever way it was learned.
 */
export interface ColumnSpec {
  readonly name: string;
  readonly position: number;
  /** `DATA_TYPE`: the base type name (`int`, `varchar`, `decimal`, `datetime`, `enum`). */
  readonly dataType: string;
  /** True for `... UNSIGNED` numeric columns (from `COLUMN_TYPE`). */
  readonly unsigned: boolean;
  /** `CHARACTER_MAXIMUM_LENGTH` for char/varchar/binary/varbinary. */
  readonly charLength: number | null;
  /** `NUMERIC_PRECISION` (decimal digits; the width of a `bit(n)`). */
  readonly numericPrecision: number | null;
  readonly numericScale: number | null;
  /** `DATETIME_PRECISION`: fractional-second digits of time/datetime/timestamp. */
  readonly datetimePrecision: number | null;
  readonly nullable: boolean;
  readonly autoIncrement: boolean;
  /** MariaDB's JSON is LONGTEXT with a `json_valid(col)` CHECK; true for such columns. */
  readonly json?: boolean;
}

/** Synonyms MySQL resolves when it stores a definition (`integer` is stored as `int`). */
const SYNONYMS: Readonly<Record<string, string>> = {
  integer: 'int',
  int4: 'int',
  int8: 'bigint',
  int2: 'smallint',
  int1: 'tinyint',
  int3: 'mediumint',
  middleint: 'mediumint',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  'double precision': 'double',
  real: 'double',
  float4: 'float',
  float8: 'double',
  bool: 'tinyint',
  boolean: 'tinyint',
  character: 'char',
  'character varying': 'varchar',
  nchar: 'char',
  nvarchar: 'varchar',
  'national char': 'char',
  'national varchar': 'varchar',
  'long varchar': 'mediumtext',
  long: 'mediumtext',
  'long varbinary': 'mediumblob',
  geomcollection: 'geometrycollection',
};

const UNSIGNED_CAPABLE = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'bigint',
  'decimal',
  'float',
  'double',
]);
const CHARACTER = new Set(['char', 'varchar', 'binary', 'varbinary']);
const TEMPORAL = new Set(['time', 'datetime', 'timestamp']);

/** The base type name MySQL stores for a type as written in DDL (`INTEGER` → `int`). */
export function canonicalDataType(written: string): string {
  const name = written.trim().toLowerCase().replace(/\s+/g, ' ');
  return SYNONYMS[name] ?? name;
}

/**
 * The core's view of a column. `type` is the lower-case base name with ` unsigned` appended for
 * unsigned numeric columns (`int unsigned`, SynchDB's map keys) and `json` for MariaDB JSON;
 * `length` holds the character length or the bit width, `precision`/`scale` the decimal digits, and
 * for time/datetime/timestamp `precision` holds the fractional-second digits.
 */
export function sourceColumn(spec: ColumnSpec): SourceColumn {
  const base = spec.json ? 'json' : canonicalDataType(spec.dataType);
  const unsigned = spec.unsigned && UNSIGNED_CAPABLE.has(base);
  const column: SourceColumn = {
    name: spec.name,
    position: spec.position,
    type: unsigned ? `${base} unsigned` : base,
    length: CHARACTER.has(base) ? spec.charLength : base === 'bit' ? spec.numericPrecision : null,
    precision:
      base === 'decimal' ? spec.numericPrecision : TEMPORAL.has(base) ? spec.datetimePrecision : null,
    scale: base === 'decimal' ? spec.numericScale : null,
    nullable: spec.nullable,
    autoIncrement: spec.autoIncrement,
    unsigned,
  };
  return column;
}
