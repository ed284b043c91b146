import type { SourceTable, TableRef } from '../../core/plugin/index.js';
import { sourceColumn } from './column-types.js';
import type { ColumnDefinition } from './ddl-column.js';
import { columnSpec } from './ddl-column-spec.js';
import { DdlParseError, type DdlStatement, parseDdl, type TableName } from './ddl-parser.js';
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
    }
  | { readonly kind: 'truncate'; readonly tables: readonly TableRef[] };

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
    const resolve = (name: TableName): TableRef | null => {
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

  #applyParsed(statement: DdlStatement, resolve: (name: TableName) => TableRef | null): TrackedChange[] {
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
    resolve: (name: TableName) => TableRef | null,
  ): TrackedChange[] {
    const ref = resolve(statement.table);
    const existing = ref && this.get(ref);
    if (!ref || (existing && statement.ifNotExists)) return [];
    const like = statement.kind === 'create-like' ? resolve(statement.like) : null;
    const source = like ? this.get(like) : undefined;
    if (statement.kind === 'create-like' && !source) return [];
    const table = source
      ? { ref, columns: source.columns, primaryKey: source.primaryKey }
      : this.#newTable(ref, statement.kind === 'create' ? statement : undefined);
    this.#tables.set(key(ref), table);
    const replaced = existing && statement.orReplace ? this.#report('drop', existing) : [];
    return [...replaced, ...this.#report('create', table)];
  }

  #newTable(
    ref: TableRef,
    statement: {
      readonly columns: readonly ColumnDefinition[];
      primaryKey: readonly string[];
      charset: string | null;
    } = {
      columns: [],
      primaryKey: [],
      charset: null,
    },
  ): SourceTable {
    const charset = statement.charset ?? this.#defaultCharset;
    const columns = statement.columns.map((definition, index) =>
      sourceColumn(columnSpec(definition, index + 1, charset)),
    );
    return normalized({ ref, columns, primaryKey: statement.primaryKey });
  }

  #alter(
    ref: TableRef,
    operations: Extract<DdlStatement, { kind: 'alter' }>['operations'],
    resolve: (name: TableName) => TableRef | null,
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
      changes.push(...this.#report('alter', altered));
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

function key(ref: TableRef): string {
  return `${ref.database}\u0000${ref.name}`;
}
