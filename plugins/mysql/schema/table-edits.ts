import type { SourceColumn, SourceTable } from '../../../core/plugin/index.js';
import type { AlterOperation, ColumnDefinition, Placement } from './ddl/ddl-parser.js';

/** Turns a parsed column definition into the core's column (its position is set afterwards). */
export type ColumnBuilder = (definition: ColumnDefinition) => SourceColumn;

interface Shape {
  readonly columns: readonly SourceColumn[];
  readonly primaryKey: readonly string[];
}

/**
 * Applies ALTER TABLE operations in order. Each one is idempotent, because after a restart the
 * tracker starts from the current definition and may replay older statements: ADD of an existing
 * column replaces it (ADD IF NOT EXISTS leaves it), in place unless FIRST/AFTER an existing
 * column says otherwise; DROP, MODIFY, CHANGE and RENAME COLUMN of a missing column do nothing;
 * CHANGE whose old name is gone but whose new name exists replaces that column. Column names
 * match case-insensitively, as MySQL matches them.
 */
export function alterTable(
  table: SourceTable,
  operations: readonly AlterOperation[],
  build: ColumnBuilder,
): SourceTable {
  let shape: Shape = table;
  for (const operation of operations) shape = applyOperation(shape, operation, build);
  return normalized({ ref: table.ref, ...shape });
}

/**
 * Positions 1..n, primary key names spelled as the columns are (keys on missing columns left out),
 * and primary key columns NOT NULL, as MySQL makes them.
 */
export function normalized(table: SourceTable): SourceTable {
  const primaryKey = table.primaryKey.flatMap(
    (name) => table.columns[indexOf(table.columns, name)]?.name ?? [],
  );
  const key = new Set(primaryKey);
  const columns = table.columns.map((column, index) => ({
    ...column,
    position: index + 1,
    nullable: column.nullable && !key.has(column.name),
  }));
  return { ref: table.ref, columns, primaryKey };
}

function applyOperation(shape: Shape, operation: AlterOperation, build: ColumnBuilder): Shape {
  switch (operation.op) {
    case 'add-column':
      if (operation.ifNotExists && indexOf(shape.columns, operation.column.name) >= 0) return shape;
      return withColumn(shape, operation.column.name, operation.column, operation.placement, build);
    case 'change-column': {
      const from = indexOf(shape.columns, operation.from) >= 0 ? operation.from : operation.column.name;
      if (indexOf(shape.columns, from) < 0) return shape;
      return withColumn(shape, from, operation.column, operation.placement, build);
    }
    case 'drop-column':
      return {
        columns: shape.columns.filter((column) => !sameName(column.name, operation.name)),
        primaryKey: shape.primaryKey.filter((name) => !sameName(name, operation.name)),
      };
    case 'rename-column':
      return renameColumn(shape, operation.from, operation.to);
    case 'add-primary-key':
      return { columns: shape.columns, primaryKey: operation.columns };
    case 'drop-primary-key':
      return { columns: shape.columns, primaryKey: [] };
    case 'rename-table':
      return shape;
  }
}

/**
 * Puts `definition` in place of the column named `replaced` (if any), or at `placement`. When
 * another column already has the new name (a replayed CHANGE), that column's slot is used and the
 * old one removed.
 */
function withColumn(
  shape: Shape,
  replaced: string,
  definition: ColumnDefinition,
  placement: Placement,
  build: ColumnBuilder,
): Shape {
  const column = build(definition);
  const columns = withoutDuplicate(shape.columns, replaced, column.name);
  const at = indexOf(columns, indexOf(columns, replaced) >= 0 ? replaced : column.name);
  const anchorMissing = placement !== null && placement !== 'first' && indexOf(columns, placement.after) < 0;
  if (at >= 0 && (placement === null || anchorMissing)) columns[at] = column;
  else {
    if (at >= 0) columns.splice(at, 1);
    columns.splice(insertionIndex(columns, placement), 0, column);
  }
  const renamed = renamedKey(shape.primaryKey, replaced, column.name);
  return { columns, primaryKey: definition.primaryKey ? [column.name] : renamed };
}

/**
 * RENAME COLUMN. When the new name is taken already (a replayed rename over the current
 * definition), the column with the old name is the stale one and is removed.
 */
function renameColumn(shape: Shape, from: string, to: string): Shape {
  const at = indexOf(shape.columns, from);
  if (at < 0) return shape;
  const columns = withoutDuplicate(shape.columns, from, to);
  return {
    columns: columns.map((column) => (sameName(column.name, from) ? { ...column, name: to } : column)),
    primaryKey: renamedKey(shape.primaryKey, from, to),
  };
}

/** The columns without `from` when renaming it to `to` would make two columns named `to`. */
function withoutDuplicate(columns: readonly SourceColumn[], from: string, to: string): SourceColumn[] {
  const clash = !sameName(from, to) && indexOf(columns, to) >= 0;
  return clash ? columns.filter((column) => !sameName(column.name, from)) : [...columns];
}

function renamedKey(primaryKey: readonly string[], from: string, to: string): string[] {
  const renamed = primaryKey.map((name) => (sameName(name, from) ? to : name));
  return renamed.filter((name, index) => renamed.findIndex((other) => sameName(other, name)) === index);
}

/** FIRST → 0, AFTER x → after x (at the end when x is missing), none → the end. */
function insertionIndex(columns: readonly SourceColumn[], placement: Placement): number {
  if (placement === 'first') return 0;
  const after = placement === null ? -1 : indexOf(columns, placement.after);
  return after < 0 ? columns.length : after + 1;
}

function indexOf(columns: readonly SourceColumn[], name: string): number {
  return columns.findIndex((column) => sameName(column.name, name));
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
