import type { ReadChangesOptions, RowChange, SourceEvent, SourceTable } from '../../../core/plugin/index.js';
import { formatOffset } from '../offset.js';
import { classifyDdl, type DdlStatement } from '../schema/ddl-statement.js';
import { type BufferedChange, OperationCode } from './logminer-row.js';
import { withNumberValues } from './number-values.js';
import { DictionaryMismatchError } from './redo-errors.js';
import { convertRedoImage } from './redo-value-converter.js';
import { parseSqlRedo } from './sql-redo-parser.js';
import type { CommittedTransaction } from './transaction-buffer.js';

const DML = new Set<number>([OperationCode.insert, OperationCode.update, OperationCode.delete]);
const RENAME_COLUMN = /\brename\s+column\s+("[^"]+"|[\w$#]+)\s+to\s+("[^"]+"|[\w$#]+)/gi;

/**
 * Turns committed transactions into change events, keeping the description (column types) of
 * every table the connector replicates. DDL re-describes the table from the catalog and emits the
 * SchemaChange before any later row of the table (DDL commits on its own, so it is its own
 * transaction). Rows of tables not replicated are skipped; `"UNKNOWN"."OBJ# n"` DML rows stop the
 * stream with DictionaryMismatchError, whatever their table (a DDL row is read from its text).
 */
export class RedoChanges {
  private readonly tables = new Map<string, SourceTable>();
  private readonly types = new Map<string, Map<string, string>>();

  constructor(
    private readonly owner: string,
    private readonly options: ReadChangesOptions,
    private readonly describe: (names: readonly string[]) => Promise<SourceTable[]>,
  ) {
    for (const table of options.tables) if (table.ref.schema === owner) this.track(table);
  }

  async *of(tx: CommittedTransaction): AsyncIterable<SourceEvent> {
    const commitOffset = formatOffset({ scn: tx.commitScn, xid: tx.xid });
    const sourceTs = tx.commitTime;
    for await (const change of tx.changes()) {
      if (change.operationCode === OperationCode.ddl) yield* this.ddl(change, commitOffset, sourceTs);
      else if (unknownObject(change))
        throw new DictionaryMismatchError(`"${change.schema}"."${change.table}"`);
      else if (DML.has(change.operationCode)) {
        const event = this.row(change, commitOffset, sourceTs);
        if (event !== null) yield event;
      } else if (change.table !== null && this.tables.has(change.table) && change.schema === this.owner) {
        throw new Error(
          `${this.owner}.${change.table}: LogMiner operation ${change.operationCode} (a LOB write) cannot be replicated; leave the table out of the connector (see check)`,
        );
      }
    }
  }

  private row(change: BufferedChange, commitOffset: string, sourceTs?: Date): RowChange | null {
    if (change.schema !== this.owner || change.table === null) return null;
    const table = this.tables.get(change.table);
    const types = this.types.get(change.table);
    if (table === undefined || types === undefined) return null;
    const statement = parseSqlRedo(change.sqlRedo);
    const name = `${this.owner}.${change.table}`;
    return {
      kind: 'change',
      op: statement.op,
      table: table.ref,
      ...(statement.before
        ? {
            before: withNumberValues(
              convertRedoImage(statement.before, types, name, 'before'),
              table.columns,
            ),
          }
        : {}),
      ...(statement.after
        ? { after: withNumberValues(convertRedoImage(statement.after, types, name, 'after'), table.columns) }
        : {}),
      ...(sourceTs ? { sourceTs } : {}),
      commitOffset,
    };
  }

  private async *ddl(
    change: BufferedChange,
    commitOffset: string,
    sourceTs?: Date,
  ): AsyncIterable<SourceEvent> {
    if (/^INTERNAL DDL/i.test(change.info ?? '')) return;
    const ddl = classifyDdl(change.sqlRedo);
    // a dropped table's own DROP row may no longer resolve in the online catalog: trust its text
    const owner = unknownObject(change) || change.schema === null ? ddlOwner(ddl) : change.schema;
    if (owner !== null && owner !== this.owner) return;
    const at = { commitOffset, statement: change.sqlRedo, ...(sourceTs ? { sourceTs } : {}) };
    if (ddl.kind === 'other') return;
    if (ddl.kind === 'truncate') {
      const table = this.tables.get(ddl.table);
      if (table !== undefined) yield { kind: 'truncate', tables: [table.ref], ...at };
      return;
    }
    if (ddl.kind === 'drop') {
      const table = this.tables.get(ddl.table);
      if (table === undefined) return;
      this.tables.delete(ddl.table);
      this.types.delete(ddl.table);
      yield { kind: 'schema', action: 'drop', table, ...at };
      return;
    }
    if (ddl.kind === 'rename') {
      const old = this.tables.get(ddl.from);
      const [table] = await this.describe([ddl.table]);
      if (old === undefined || table === undefined) return;
      this.tables.delete(ddl.from);
      this.types.delete(ddl.from);
      this.track(table);
      yield { kind: 'schema', action: 'rename', table, from: old.ref, ...at };
      return;
    }
    if (ddl.kind === 'alter' ? !this.tables.has(ddl.table) : !this.selected(ddl.table)) return;
    const [table] = await this.describe([ddl.table]);
    if (table === undefined) return;
    this.track(table);
    const renamedColumns = [...change.sqlRedo.matchAll(RENAME_COLUMN)].map((match) => ({
      from: unquote(match[1] ?? ''),
      to: unquote(match[2] ?? ''),
    }));
    yield {
      kind: 'schema',
      action: ddl.kind,
      table,
      ...(ddl.kind === 'alter' && renamedColumns.length > 0 ? { renamedColumns } : {}),
      ...at,
    };
  }

  private selected(name: string): boolean {
    const selection = this.options.selection;
    if (selection === undefined) return this.tables.has(name);
    return selection === null || selection.includes(`${this.owner}.${name}`);
  }

  private track(table: SourceTable): void {
    this.tables.set(table.ref.name, table);
    this.types.set(table.ref.name, new Map(table.columns.map((column) => [column.name, column.type])));
  }
}

/** A row whose object the online catalog no longer knows (`"UNKNOWN"."OBJ# n"`). */
function unknownObject(change: BufferedChange): boolean {
  return change.schema === 'UNKNOWN' || /^OBJ# \d+$/.test(change.table ?? '');
}

function ddlOwner(ddl: DdlStatement): string | null {
  return ddl.kind === 'other' ? null : (ddl.owner ?? null);
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1) : name.toUpperCase();
}
