import type { SourceColumn, SourceTable } from '../../../core/plugin/index.js';
import type { QueryRunner } from '../client/sql.js';
import { CAPTURE_INSTANCES, CAPTURED_COLUMNS } from '../client/statements.js';
import { columnFromCatalog } from '../schema/column-types.js';

/** A capture instance of a tracked table. */
export interface Instance {
  readonly name: string;
  readonly table: SourceTable;
  readonly startLsn: Buffer;
  readonly createDate: string;
  /** Captured columns with the `_CT` table's types. */
  readonly columns: readonly SourceColumn[];
}

/** Whether two capture instances capture the same table. */
export function sameTable(a: Instance, b: Instance): boolean {
  return a.table.ref.schema === b.table.ref.schema && a.table.ref.name === b.table.ref.name;
}

/**
 * The table as a capture instance captured it: the instance's columns and types, with nullability,
 * identity and key from the source table where it has the column (a `_CT` table's columns are all
 * nullable, key columns included).
 */
export function capturedShape(instance: Instance): SourceTable {
  const { table } = instance;
  const names = new Set(instance.columns.map((column) => column.name));
  const primaryKey = table.primaryKey.filter((key) => names.has(key));
  const columns = instance.columns.map((column) => {
    const known = table.columns.find((source) => source.name === column.name);
    return {
      ...column,
      nullable: primaryKey.includes(column.name) ? false : (known?.nullable ?? column.nullable),
      autoIncrement: known?.autoIncrement ?? false,
    };
  });
  return { ...table, columns, primaryKey };
}

/**
 * The capture instances of `tables`, oldest first, and the lowest start LSN of any instance in
 * the database (undefined when none has one yet).
 */
export async function loadInstances(
  runner: QueryRunner,
  database: string,
  tables: readonly SourceTable[],
  signal: AbortSignal,
): Promise<InstanceCatalog> {
  const byName = new Map(tables.map((table) => [`${table.ref.schema}.${table.ref.name}`, table]));
  const columns = new Map<string, SourceColumn[]>();
  for (const row of await runner.query(CAPTURED_COLUMNS, {}, signal)) {
    const name = String(row.capture_instance);
    const list = columns.get(name) ?? [];
    list.push(columnFromCatalog(row, list.length + 1));
    columns.set(name, list);
  }
  const instances: Instance[] = [];
  const untracked = new Set<string>();
  let oldestStart: Buffer | undefined;
  for (const row of await runner.query(CAPTURE_INSTANCES, {}, signal)) {
    if (!Buffer.isBuffer(row.start_lsn)) continue;
    if (!oldestStart || Buffer.compare(row.start_lsn, oldestStart) < 0) oldestStart = row.start_lsn;
    const table = byName.get(`${row.schema_name}.${row.table_name}`);
    if (!table) {
      untracked.add(`${row.schema_name}.${row.table_name}`);
      continue;
    }
    const name = String(row.capture_instance);
    instances.push({
      name,
      table: { ...table, ref: { ...table.ref, database } },
      startLsn: row.start_lsn,
      createDate: String(row.create_date),
      columns: columns.get(name) ?? [],
    });
  }
  instances.sort((a, b) => Buffer.compare(a.startLsn, b.startLsn));
  return { instances, oldestStart, untracked };
}

export interface InstanceCatalog {
  readonly instances: Instance[];
  /** The lowest start LSN of any capture instance in the database. */
  readonly oldestStart: Buffer | undefined;
  /** `schema.table` of capture instances whose table is not tracked. */
  readonly untracked: ReadonlySet<string>;
}
