import type { Row, SourceTable, SourceValue } from '../../../core/plugin/index.js';
import {
  defineTable,
  type MemoryColumnSpec,
  type MemoryRowInput,
  normaliseValue,
  projectRow,
  toSourceColumn,
} from '../schema/column-types.js';
import type { Commit } from './change-log.js';
import { encodeKey, keyValues, rowIdKey } from './key-order.js';

export interface MemoryTableSpec {
  readonly columns: readonly MemoryColumnSpec[];
  /** Key columns in key order; absent or empty for a table without a primary key. */
  readonly primaryKey?: readonly string[];
}

/**
 * One table's current state. While `shared` (a capture pinned `rows`), `rows` is copied before the
 * next write instead of being changed, so the capture keeps seeing the rows as they were.
 */
export interface StoredTable {
  definition: SourceTable;
  rows: Map<string, Row>;
  shared: boolean;
  nextRowId: number;
}

/**
 * The statements of one memory-database transaction, applied as they are called and undone if the
 * transaction fails. Each statement records the events a real source would log for it, in order, so
 * a SchemaChange always precedes the rows written with the new shape.
 */
export class MemoryTransaction {
  readonly events: Commit['events'][number][] = [];
  private readonly undo: (() => void)[] = [];

  constructor(
    private readonly tables: Map<string, StoredTable>,
    private readonly database: string,
  ) {}

  createTable(name: string, spec: MemoryTableSpec): void {
    if (name.trim() === '') throw new Error('a table needs a name');
    if (this.tables.has(name)) throw new Error(`table ${this.database}.${name} already exists`);
    const definition = defineTable(this.ref(name), spec.columns, spec.primaryKey ?? []);
    this.tables.set(name, { definition, rows: new Map(), shared: false, nextRowId: 1 });
    this.undo.push(() => this.tables.delete(name));
    this.events.push({ kind: 'schema', action: 'create', table: definition });
  }

  dropTable(name: string): void {
    const table = this.stored(name);
    this.tables.delete(name);
    this.undo.push(() => this.tables.set(name, table));
    this.events.push({ kind: 'schema', action: 'drop', table: table.definition });
  }

  renameTable(from: string, to: string): void {
    const table = this.stored(from);
    if (this.tables.has(to)) throw new Error(`table ${this.database}.${to} already exists`);
    const old = table.definition;
    this.tables.delete(from);
    this.tables.set(to, table);
    this.undo.push(() => {
      this.tables.delete(to);
      this.tables.set(from, table);
    });
    this.redefine(table, { ...old, ref: this.ref(to) });
    this.events.push({ kind: 'schema', action: 'rename', from: old.ref, table: table.definition });
  }

  /** Adds a nullable column (or a non-null one to an empty table); existing rows read it as null. */
  addColumn(tableName: string, spec: MemoryColumnSpec): void {
    const table = this.stored(tableName);
    const { columns } = table.definition;
    if (columns.some((column) => column.name === spec.name)) {
      throw new Error(`table ${tableName} already has a column ${spec.name}`);
    }
    const column = toSourceColumn(spec, columns.length + 1, false);
    if (!column.nullable && table.rows.size > 0) {
      throw new Error(
        `column ${spec.name} must be nullable: table ${tableName} has rows and no default exists`,
      );
    }
    this.redefine(table, { ...table.definition, columns: [...columns, column] });
    this.events.push({ kind: 'schema', action: 'alter', table: table.definition });
  }

  dropColumn(tableName: string, columnName: string): void {
    const table = this.stored(tableName);
    const { columns, primaryKey } = table.definition;
    if (!columns.some((column) => column.name === columnName)) {
      throw new Error(`table ${tableName} has no column ${columnName}`);
    }
    if (primaryKey.includes(columnName)) throw new Error(`column ${columnName} is part of the primary key`);
    const kept = columns.filter((column) => column.name !== columnName);
    this.redefine(table, {
      ...table.definition,
      columns: kept.map((column, index) => ({ ...column, position: index + 1 })),
    });
    this.replaceRows(
      table,
      (rows) => new Map([...rows].map(([key, row]) => [key, projectRow(table.definition, row)])),
    );
    this.events.push({ kind: 'schema', action: 'alter', table: table.definition });
  }

  insert(tableName: string, rows: MemoryRowInput | readonly MemoryRowInput[]): void {
    const table = this.stored(tableName);
    for (const input of Array.isArray(rows) ? rows : [rows]) {
      const row = this.buildRow(table.definition, input);
      const key =
        table.definition.primaryKey.length > 0 ? encodeKey(keyValues(table.definition, row)) : undefined;
      this.write(table, undefined, key ?? rowIdKey(table.nextRowId++), row);
      this.events.push({ kind: 'change', op: 'insert', table: table.definition.ref, after: row });
    }
  }

  /**
   * Sets `values` on the rows whose columns equal `where` (the primary key, or any columns for a
   * table without one); returns how many rows changed. Changing the key moves the row.
   */
  update(tableName: string, where: MemoryRowInput, values: MemoryRowInput): number {
    const table = this.stored(tableName);
    const matches = this.find(table, where);
    for (const [key, old] of matches) {
      const before = projectRow(table.definition, old);
      const after = this.buildRow(table.definition, { ...before, ...values });
      const keyed = table.definition.primaryKey.length > 0;
      this.write(table, key, keyed ? encodeKey(keyValues(table.definition, after)) : key, after);
      this.events.push({ kind: 'change', op: 'update', table: table.definition.ref, before, after });
    }
    return matches.length;
  }

  /** Deletes the rows whose columns equal `where`; returns how many. */
  delete(tableName: string, where: MemoryRowInput): number {
    const table = this.stored(tableName);
    const matches = this.find(table, where);
    for (const [key, old] of matches) {
      this.write(table, key, undefined, old);
      const before = projectRow(table.definition, old);
      this.events.push({ kind: 'change', op: 'delete', table: table.definition.ref, before });
    }
    return matches.length;
  }

  truncate(...tableNames: string[]): void {
    const tables = tableNames.map((name) => this.stored(name));
    for (const table of tables) this.replaceRows(table, () => new Map());
    this.events.push({ kind: 'truncate', tables: tables.map((table) => table.definition.ref) });
  }

  /** Undoes every statement, newest first. */
  rollback(): void {
    for (const step of this.undo.reverse()) step();
    this.undo.length = 0;
    this.events.length = 0;
  }

  private ref(name: string): SourceTable['ref'] {
    return { database: this.database, schema: null, name };
  }

  private stored(name: string): StoredTable {
    const table = this.tables.get(name);
    if (table === undefined) throw new Error(`table ${this.database}.${name} does not exist`);
    return table;
  }

  private redefine(table: StoredTable, definition: SourceTable): void {
    const old = table.definition;
    table.definition = definition;
    this.undo.push(() => {
      table.definition = old;
    });
  }

  private replaceRows(
    table: StoredTable,
    replace: (rows: ReadonlyMap<string, Row>) => Map<string, Row>,
  ): void {
    const { rows, shared } = table;
    table.rows = replace(rows);
    table.shared = false;
    this.undo.push(() => {
      table.rows = rows;
      table.shared = shared;
    });
  }

  /** Replaces the row at `oldKey` (absent for an insert) by `row` at `newKey` (absent for a delete). */
  private write(table: StoredTable, oldKey: string | undefined, newKey: string | undefined, row: Row): void {
    if (table.shared) {
      table.rows = new Map(table.rows);
      table.shared = false;
    }
    const previous = oldKey === undefined ? undefined : table.rows.get(oldKey);
    if (newKey !== undefined && newKey !== oldKey && table.rows.has(newKey)) {
      const { primaryKey, ref } = table.definition;
      const values = primaryKey.map((name) => String(row[name])).join(', ');
      throw new Error(
        `duplicate primary key (${primaryKey.join(', ')})=(${values}) in ${this.database}.${ref.name}`,
      );
    }
    if (oldKey !== undefined && oldKey !== newKey) table.rows.delete(oldKey);
    if (newKey !== undefined) table.rows.set(newKey, row);
    this.undo.push(() => {
      if (table.shared) {
        table.rows = new Map(table.rows);
        table.shared = false;
      }
      if (newKey !== undefined) table.rows.delete(newKey);
      if (oldKey !== undefined && previous !== undefined) table.rows.set(oldKey, previous);
    });
  }

  private buildRow(definition: SourceTable, input: MemoryRowInput): Row {
    const unknown = Object.keys(input).find(
      (name) => !definition.columns.some((column) => column.name === name),
    );
    if (unknown !== undefined) throw new Error(`table ${definition.ref.name} has no column ${unknown}`);
    return Object.freeze(
      Object.fromEntries(
        definition.columns.map((column) => [column.name, normaliseValue(column, input[column.name])]),
      ),
    );
  }

  private find(table: StoredTable, where: MemoryRowInput): [key: string, row: Row][] {
    const { definition } = table;
    const wanted = Object.entries(where).map(([name, value]): [string, SourceValue] => {
      const column = definition.columns.find((candidate) => candidate.name === name);
      if (column === undefined) throw new Error(`table ${definition.ref.name} has no column ${name}`);
      return [name, normaliseValue({ ...column, nullable: true }, value)];
    });
    const isKey =
      definition.primaryKey.length > 0 &&
      wanted.length === definition.primaryKey.length &&
      definition.primaryKey.every((name) => name in where);
    if (isKey) {
      const key = encodeKey(
        definition.primaryKey.map((name) => wanted.find(([column]) => column === name)?.[1] ?? null),
      );
      const row = table.rows.get(key);
      return row === undefined ? [] : [[key, row]];
    }
    return [...table.rows].filter(([, row]) =>
      wanted.every(([name, value]) => encodeKey([row[name] ?? null]) === encodeKey([value])),
    );
  }
}
