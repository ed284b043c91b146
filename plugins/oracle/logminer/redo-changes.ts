import { isDeepStrictEqual } from 'node:util';
import type {
  ReadChangesOptions,
  Row,
  RowChange,
  SourceEvent,
  SourceTable,
} from '../../../core/plugin/index.js';
import { formatOffset } from '../offset.js';
import { classifyDdl, type DdlStatement } from '../schema/ddl-statement.js';
import { LobOperation, LobValue, parseLobLocator, parseLobTrim, parseLobWrite } from './lob-writes.js';
import { type BufferedChange, OperationCode } from './logminer-row.js';
import { withNumberValues } from './number-values.js';
import { DictionaryMismatchError } from './redo-errors.js';
import { convertRedoImage, convertRedoValue, typeFamily } from './redo-value-converter.js';
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
    // a row's event waits until the LOB writes that may follow it are in (one event at a time)
    const pending: RowChange[] = [];
    let lob: OpenLob | null = null;
    const settle = () => {
      if (lob !== null) this.settleLob(lob, pending, commitOffset, sourceTs);
      lob = null;
    };
    for await (const change of tx.changes()) {
      const op = change.operationCode;
      if (op === LobOperation.write || op === LobOperation.trim) {
        if (lob !== null) editLob(lob, change);
        else if (this.replicated(change))
          throw new Error(
            `${this.owner}.${change.table}: a LOB ${op === LobOperation.write ? 'write' : 'trim'} without the locator selection before it cannot be assembled`,
          );
        continue;
      }
      settle();
      if (op === LobOperation.locator) {
        lob = this.openLob(change);
        continue;
      }
      yield* pending.splice(0);
      if (op === OperationCode.ddl) yield* this.ddl(change, commitOffset, sourceTs);
      else if (unknownObject(change))
        throw new DictionaryMismatchError(`"${change.schema}"."${change.table}"`);
      else if (DML.has(op)) {
        const event = this.row(change, commitOffset, sourceTs);
        if (event !== null) pending.push(event);
      } else if (op === LobOperation.erase && this.replicated(change)) {
        throw new Error(
          `${this.owner}.${change.table}: LogMiner operation ${op} (LOB_ERASE) is not assembled; leave the table out of the connector`,
        );
      }
    }
    settle();
    yield* pending.splice(0);
  }

  private replicated(change: BufferedChange): boolean {
    return change.schema === this.owner && change.table !== null && this.tables.has(change.table);
  }

  /** The LOB a `SEL_LOB_LOCATOR` row starts, or null when its table is not replicated. */
  private openLob(change: BufferedChange): OpenLob | null {
    if (!this.replicated(change)) return null;
    const table = this.tables.get(change.table ?? '') as SourceTable;
    const types = this.types.get(table.ref.name) as Map<string, string>;
    const locator = parseLobLocator(change.sqlRedo);
    const name = `${this.owner}.${table.ref.name}`;
    const type = types.get(locator.column) ?? '';
    const row = withNumberValues(convertRedoImage(locator.row, types, name, 'before'), table.columns);
    return { table, column: locator.column, type, row, value: new LobValue(typeFamily(type) === 'binary') };
  }

  /**
   * Puts an assembled LOB into the event of the row it belongs to (the last one held for that
   * row), or, when the transaction wrote only the LOB, into an update of that row.
   */
  private settleLob(lob: OpenLob, pending: RowChange[], commitOffset: string, sourceTs?: Date): void {
    const value = lob.value.value();
    const keys = lob.table.primaryKey.length > 0 ? lob.table.primaryKey : Object.keys(lob.row);
    const same = (after: Row | undefined) =>
      after !== undefined && keys.every((key) => isDeepStrictEqual(after[key], lob.row[key]));
    for (let index = pending.length - 1; index >= 0; index--) {
      const event = pending[index] as RowChange;
      if (event.table.name !== lob.table.ref.name || event.op === 'delete' || !same(event.after)) continue;
      pending[index] = { ...event, after: { ...event.after, [lob.column]: value } };
      return;
    }
    pending.push({
      kind: 'change',
      op: 'update',
      table: lob.table.ref,
      before: lob.row,
      after: { ...lob.row, [lob.column]: value },
      ...(sourceTs ? { sourceTs } : {}),
      commitOffset,
    });
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

/** A LOB being assembled: the row (converted key values) and column it belongs to. */
interface OpenLob {
  readonly table: SourceTable;
  readonly column: string;
  readonly type: string;
  readonly row: Row;
  readonly value: LobValue;
}

function editLob(lob: OpenLob, change: BufferedChange): void {
  if (change.operationCode === LobOperation.trim) {
    lob.value.trim(parseLobTrim(change.sqlRedo));
    return;
  }
  const write = parseLobWrite(change.sqlRedo);
  const data = convertRedoValue(write.data, lob.type, lob.table.ref.name, lob.column);
  lob.value.write(Buffer.isBuffer(data) ? data : String(data ?? ''), write.offset);
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1) : name.toUpperCase();
}
