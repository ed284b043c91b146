import type { SourceTable, TableRef } from '../../../core/plugin/index.js';
import { sourceColumn } from './column-types.js';
import { columnSpec } from './ddl/ddl-column-spec.js';
import {
  type ColumnDefinition,
  DdlParseError,
  type DdlStatement,
  parseDdl,
  type TableName,
} from './ddl/ddl-parser.js';
import { alterTable, normalized } from './table-edits.js';

/**
 * What a DDL statement did to the connector's tables, in statement order. The caller adds the
 * commit offset (and the statement) to make SchemaChange / TruncateChange events of them.
 */
export type TrackedChange =
  | {
      readonly kind: 'schema';
      readonly action: 'create' | 'alter' | 'drop' | 'rename';
      readonly table: SourceTable;
      readonly from?: TableRef;
      /** `alter`: columns renamed by CHANGE / RENAME COLUMN, so the destination keeps their values. */
      readonly renamedColumns?: readonly { readonly from: string; readonly to: string }[];
    }
  | { readonly kind: 'truncate'; readonly tables: readonly TableRef[] };

/** A table name as written, resolved against the statement's default database (null: unresolvable). */
type Resolve = (name: TableName) => TableRef | null;

export interface SchemaTrackerOptions {
  /**
   * The character set of tables whose CREATE statement names none; it only sizes `TEXT(n)`
   * columns (which MySQL turns into TINYTEXT..LONGTEXT by their size in bytes). Default utf8mb4.
   */
  readonly defaultCharset?: string;
}

/**
 * The plugin's view of table shapes as the binary log replays DDL. It starts from the tables the
 * stream starts with and follows CREATE / ALTER / DROP / TRUNCATE / RENAME TABLE, producing
 * definitions equal to what `discoverTables` would read from the server at the same point.
 *
 * Changes are reported for the connector's `database` only. Tables of other databases that the
 * log creates are followed silently, so a table renamed into the connector's database arrives
 * with its shape. A statement about a table whose shape is unknown (never seeded nor created in
 * the log: ALTER, RENAME, CREATE ... LIKE of it) changes nothing and reports nothing.
 *
 * Replaying older DDL over a newer definition is safe: after a restart the tracker is seeded with
 * the current definitions while the log is read again from the last checkpoint.
 */
export class SchemaTracker {
  readonly #database: string;
  readonly #defaultCharset: string;
  readonly #tables = new Map<string, SourceTable>();

  constructor(tables: readonly SourceTable[], database: string, options: SchemaTrackerOptions = {}) {
    this.#database = database;
    this.#defaultCharset = options.defaultCharset ?? 'utf8mb4';
    for (const table of tables) this.#tables.set(key(table.ref), table);
  }

  get(ref: TableRef): SourceTable | undefined {
    return this.#tables.get(key(ref));
  }

  /** The known tables of the connector's database. */
  tables(): SourceTable[] {
    return [...this.#tables.values()].filter((table) => this.#ours(table.ref));
  }

  /**
   * Applies one statement from the log. `defaultDatabase` is the database the statement ran in
   * (the QUERY event's), against which unqualified names resolve. Statements that are not table
   * DDL return []. Throws DdlParseError for table DDL that cannot be understood, unless it names
   * only tables of other databases (those tables are then forgotten).
   */
  apply(statement: string, defaultDatabase: string | null): TrackedChange[] {
    const resolve: Resolve = (name) => {
      const database = name.database ?? defaultDatabase;
      return database === null ? null : { database, schema: null, name: name.name };
    };
    let parsed: DdlStatement | null;
    try {
      parsed = parseDdl(statement);
    } catch (error) {
      const refs = error instanceof DdlParseError ? error.tables.map(resolve) : [];
      if (refs.length === 0 || refs.some((ref) => ref === null || this.#ours(ref))) throw error;
      for (const ref of refs) if (ref) this.#tables.delete(key(ref));
      return [];
    }
    return parsed === null ? [] : this.#applyParsed(parsed, resolve);
  }

  #applyParsed(statement: DdlStatement, resolve: Resolve): TrackedChange[] {
    switch (statement.kind) {
      case 'create':
      case 'create-like':
        return this.#create(statement, resolve);
      case 'alter': {
        const ref = resolve(statement.table);
        return ref ? this.#alter(ref, statement.operations, resolve) : [];
      }
      case 'drop':
        return statement.tables.flatMap((name) => this.#drop(resolve(name)));
      case 'drop-database':
        return this.#dropDatabase(statement.database);
      case 'truncate': {
        const ref = resolve(statement.table);
        return ref && this.#ours(ref) ? [{ kind: 'truncate', tables: [ref] }] : [];
      }
      case 'rename':
        return statement.renames.flatMap(({ from, to }) => this.#move(resolve(from), resolve(to)));
    }
  }

  #create(
    statement: Extract<DdlStatement, { kind: 'create' | 'create-like' }>,
    resolve: Resolve,
  ): TrackedChange[] {
    const ref = resolve(statement.table);
    const existing = ref && this.get(ref);
    if (!ref || (existing && statement.ifNotExists)) return [];
    const table =
      statement.kind === 'create' ? this.#newTable(ref, statement) : this.#copy(ref, resolve(statement.like));
    if (!table) return [];
    this.#tables.set(key(ref), table);
    const replaced = existing && statement.orReplace ? this.#report('drop', existing) : [];
    return [...replaced, ...this.#report('create', table)];
  }

  #newTable(ref: TableRef, statement: Extract<DdlStatement, { kind: 'create' }>): SourceTable {
    const charset = statement.charset ?? this.#defaultCharset;
    const columns = statement.columns.map((definition, index) =>
      sourceColumn(columnSpec(definition, index + 1, charset)),
    );
    return normalized({ ref, columns, primaryKey: statement.primaryKey });
  }

  /** CREATE TABLE ... LIKE: the source's shape under the new name, when the source is known. */
  #copy(ref: TableRef, like: TableRef | null): SourceTable | undefined {
    const source = like && this.get(like);
    return source ? { ref, columns: source.columns, primaryKey: source.primaryKey } : undefined;
  }

  #alter(
    ref: TableRef,
    operations: Extract<DdlStatement, { kind: 'alter' }>['operations'],
    resolve: Resolve,
  ): TrackedChange[] {
    const existing = this.get(ref);
    if (!existing) return [];
    const changes: TrackedChange[] = [];
    const shaping = operations.filter((operation) => operation.op !== 'rename-table');
    if (shaping.length > 0) {
      const build = (definition: ColumnDefinition) =>
        sourceColumn(columnSpec(definition, 0, this.#defaultCharset));
      const altered = alterTable(existing, shaping, build);
      this.#tables.set(key(ref), altered);
      const renamedColumns = columnRenames(existing, shaping);
      changes.push(
        ...this.#report('alter', altered).map((change) =>
          renamedColumns.length > 0 ? { ...change, renamedColumns } : change,
        ),
      );
    }
    const renamed = operations.findLast((operation) => operation.op === 'rename-table');
    if (renamed?.op === 'rename-table') {
      const to = resolve(renamed.to) ?? { ...ref, name: renamed.to.name };
      changes.push(...this.#move(ref, to));
    }
    return changes;
  }

  #drop(ref: TableRef | null): TrackedChange[] {
    const existing = ref && this.get(ref);
    if (!ref || !existing) return [];
    this.#tables.delete(key(ref));
    return this.#report('drop', existing);
  }

  #dropDatabase(database: string): TrackedChange[] {
    const dropped = [...this.#tables.values()].filter((table) => table.ref.database === database);
    return dropped.flatMap((table) => this.#drop(table.ref));
  }

  /** RENAME: within the database a rename; out of it a drop; into it a create. */
  #move(from: TableRef | null, to: TableRef | null): TrackedChange[] {
    const table = from && this.get(from);
    if (!from || !to || !table || key(from) === key(to)) return [];
    const moved = { ...table, ref: to };
    this.#tables.delete(key(from));
    this.#tables.set(key(to), moved);
    if (this.#ours(from) && this.#ours(to)) return [{ kind: 'schema', action: 'rename', table: moved, from }];
    return this.#ours(from) ? this.#report('drop', table) : this.#report('create', moved);
  }

  #report(action: 'create' | 'alter' | 'drop', table: SourceTable): TrackedChange[] {
    return this.#ours(table.ref) ? [{ kind: 'schema', action, table }] : [];
  }

  #ours(ref: TableRef): boolean {
    return ref.database === this.#database;
  }
}

/** The column renames among ALTER operations, old names spelled as the table spelled them. */
function columnRenames(
  table: SourceTable,
  operations: Extract<DdlStatement, { kind: 'alter' }>['operations'],
): { from: string; to: string }[] {
  const spelled = (name: string) =>
    table.columns.find((column) => column.name.toLowerCase() === name.toLowerCase())?.name ?? name;
  return operations.flatMap((operation) => {
    if (operation.op === 'rename-column') return [{ from: spelled(operation.from), to: operation.to }];
    if (
      operation.op === 'change-column' &&
      operation.from.toLowerCase() !== operation.column.name.toLowerCase()
    )
      return [{ from: spelled(operation.from), to: operation.column.name }];
    return [];
  });
}

function key(ref: TableRef): string {
  return `${ref.database}\u0000${ref.name}`;
}
