import type {
  PluginLogger,
  SchemaChange,
  SourceTable,
  TableRef,
  TableSelection,
} from '../../../core/plugin/index.js';
import type { Sql } from '../client/sql.js';
import type { ColumnFacts, DescribedTable, RawColumn } from '../discover.js';
import type { DdlMessage, DdlTable } from '../pgoutput/ddl-message.js';

/** A SchemaChange before the translator gives it its transaction's offset and time. */
export type PendingSchema = Omit<SchemaChange, 'commitOffset' | 'sourceTs'>;

/** What a DDL message did to one table the stream follows. */
export interface TrackedChange {
  readonly oid: number;
  readonly change: PendingSchema;
  /** The new definition (absent for `drop`). */
  readonly described?: DescribedTable;
}

export interface DdlTrackerSettings {
  readonly database: string;
  /** The schema a `null` selection means. */
  readonly schema: string;
  readonly selection: TableSelection;
  /** Emit `drop` for a dropped table (false: the destination keeps it). */
  readonly dropTables: boolean;
  readonly describe: (ref: TableRef, columns: readonly ColumnFacts[]) => Promise<DescribedTable>;
  /** Makes the publication publish a table created at the source. */
  readonly publish: (table: SourceTable) => Promise<void>;
  readonly log: PluginLogger;
}

interface Followed {
  readonly ref: TableRef;
  readonly table: SourceTable;
  /** attnum by column name: a column keeping its attnum under another name was renamed. */
  readonly attnums: ReadonlyMap<string, number>;
  /** The columns as Relation messages show them, once a DDL message described the table. */
  readonly raw?: readonly RawColumn[];
  readonly described?: DescribedTable;
}

/**
 * Follows the connector's tables through the DDL trigger's messages (see ddl-trigger.ts), keyed
 * by OID so renames are recognised:
 * - a table created (or first altered) whose name is selected (`selection` null: any table of
 *   `schema`; partitions never, they publish through their root) → `create`, after adding it to
 *   the publication;
 * - a followed table whose definition (columns, types, sizes, nullability, identity, primary key)
 *   changed → `alter` with `renamedColumns` for columns whose attnum kept another name; renamed or
 *   moved to another schema → `rename`; other ALTERs (REPLICA IDENTITY, CHECK…) → nothing;
 * - a followed table dropped → `drop`, unless `dropTables` is false.
 */
export class DdlTracker {
  private readonly followed = new Map<number, Followed>();

  constructor(
    private readonly settings: DdlTrackerSettings,
    known: ReadonlyMap<
      number,
      { readonly table: SourceTable; readonly attnums: ReadonlyMap<string, number> }
    >,
  ) {
    for (const [oid, { table, attnums }] of known) this.followed.set(oid, { ref: table.ref, table, attnums });
  }

  /** The definition a DDL message gave a relation, when a Relation message shows the same columns. */
  described(oid: number, columns: readonly RawColumn[]): DescribedTable | undefined {
    const followed = this.followed.get(oid);
    if (followed?.raw === undefined || followed.raw.length !== columns.length) return undefined;
    const same = followed.raw.every((column, index) => {
      const other = columns[index];
      return (
        other?.name === column.name && other.typeOid === column.typeOid && other.typmod === column.typmod
      );
    });
    return same ? followed.described : undefined;
  }

  async apply(message: DdlMessage): Promise<TrackedChange[]> {
    const changes: TrackedChange[] = [];
    for (const table of message.tables) {
      const change =
        message.event === 'sql_drop' ? this.drop(table, message.tag) : await this.define(table, message.tag);
      if (change !== undefined) changes.push(change);
    }
    return changes;
  }

  private drop(table: DdlTable, statement: string): TrackedChange | undefined {
    const followed = this.followed.get(table.oid);
    if (followed === undefined) return undefined;
    this.followed.delete(table.oid);
    if (!this.settings.dropTables) return undefined;
    return { oid: table.oid, change: { kind: 'schema', action: 'drop', table: followed.table, statement } };
  }

  private async define(table: DdlTable, statement: string): Promise<TrackedChange | undefined> {
    if (table.partition || table.columns === undefined) return undefined;
    const ref = { database: this.settings.database, schema: table.schema, name: table.name };
    const previous = this.followed.get(table.oid);
    if (previous === undefined && !this.selected(ref)) return undefined;
    const facts = table.columns.map((column) => ({
      name: column.name,
      typeOid: column.typid,
      typmod: column.typmod,
      notnull: column.notnull,
      generated: column.generated,
      keyPosition: column.key,
    }));
    const described = await this.settings.describe(ref, facts);
    const attnums = new Map(table.columns.map((column) => [column.name, column.attnum]));
    this.followed.set(table.oid, { ref, table: described.table, attnums, raw: facts, described });
    const change = this.change(previous, described.table, attnums, statement);
    if (change === undefined) return undefined;
    if (change.action === 'create') await this.publish(described.table);
    return { oid: table.oid, change, described };
  }

  private change(
    previous: Followed | undefined,
    table: SourceTable,
    attnums: ReadonlyMap<string, number>,
    statement: string,
  ): PendingSchema | undefined {
    if (previous === undefined) return { kind: 'schema', action: 'create', table, statement };
    if (!sameRef(previous.ref, table.ref))
      return { kind: 'schema', action: 'rename', from: previous.ref, table, statement };
    if (sameTable(previous.table, table)) return undefined;
    const byAttnum = new Map([...previous.attnums].map(([name, attnum]) => [attnum, name]));
    const renamedColumns = [...attnums].flatMap(([name, attnum]) => {
      const from = byAttnum.get(attnum);
      return from !== undefined && from !== name ? [{ from, to: name }] : [];
    });
    return {
      kind: 'schema',
      action: 'alter',
      table,
      ...(renamedColumns.length > 0 && { renamedColumns }),
      statement,
    };
  }

  private async publish(table: SourceTable): Promise<void> {
    await this.settings.publish(table).catch((error: unknown) => {
      this.settings.log.warn(
        'a table created at the source could not join the publication; its rows will not arrive',
        {
          table: `${table.ref.schema}.${table.ref.name}`,
          error: error instanceof Error ? error.message : String(error),
        },
      );
    });
  }

  private selected(ref: TableRef): boolean {
    const { selection } = this.settings;
    if (selection === null) return ref.schema === this.settings.schema;
    return (
      selection.includes(`${ref.schema}.${ref.name}`) ||
      selection.includes(`${ref.database}.${ref.schema}.${ref.name}`)
    );
  }
}

/**
 * OIDs and attnums of the tables the stream starts with, as the catalog holds them now. Tables
 * that no longer exist are left out.
 */
export async function knownRelations(
  sql: Sql,
  tables: readonly SourceTable[],
): Promise<Map<number, { table: SourceTable; attnums: Map<string, number> }>> {
  if (tables.length === 0) return new Map();
  const rows = await sql<{ index: number; oid: string; name: string; attnum: number }>(
    `SELECT t.index::int, c.oid::text AS oid, a.attname AS name, a.attnum
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (schema, name, index)
     JOIN pg_namespace n ON n.nspname = t.schema
     JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.name
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped`,
    [tables.map((table) => table.ref.schema ?? ''), tables.map((table) => table.ref.name)],
  );
  const known = new Map<number, { table: SourceTable; attnums: Map<string, number> }>();
  for (const row of rows) {
    const table = tables[row.index - 1];
    if (table === undefined) continue;
    const oid = Number(row.oid);
    const entry = known.get(oid) ?? { table, attnums: new Map<string, number>() };
    entry.attnums.set(row.name, row.attnum);
    known.set(oid, entry);
  }
  return known;
}

function sameRef(a: TableRef, b: TableRef): boolean {
  return a.database === b.database && a.schema === b.schema && a.name === b.name;
}

function sameTable(a: SourceTable, b: SourceTable): boolean {
  const columns = (table: SourceTable) =>
    table.columns.map((column) => [
      column.name,
      column.type,
      column.length ?? null,
      column.precision ?? null,
      column.scale ?? null,
      column.nullable,
      column.autoIncrement ?? false,
    ]);
  return JSON.stringify([columns(a), a.primaryKey]) === JSON.stringify([columns(b), b.primaryKey]);
}
