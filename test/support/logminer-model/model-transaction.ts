import type { LogMinerModel } from './logminer-model.js';
import { byLocator, isLob, lobOperations } from './model-lobs.js';
import { redoImage } from './model-redo.js';
import type { ModelColumn, ModelRow, ModelTable } from './model-types.js';

/** A statement inside a model transaction. */
export type ModelStatement =
  | { readonly op: 'insert'; readonly table: string; readonly row: ModelRow }
  | { readonly op: 'update'; readonly table: string; readonly key: ModelRow; readonly values: ModelRow }
  | { readonly op: 'delete'; readonly table: string; readonly key: ModelRow };

/** An open transaction: statements write redo at once; rows become visible at commit. */
export class ModelTransaction {
  private readonly pending: (() => void)[] = [];
  /**
   * This transaction's own versions of the rows it touched, per table (null: deleted); every other
   * row it sees as last committed (read committed, as Oracle's DML re-reads a row once it locks it).
   */
  private readonly own = new Map<string, Map<string, ModelRow | null>>();
  private started = false;

  constructor(
    private readonly model: LogMinerModel,
    readonly xid: string,
  ) {}

  run(statement: ModelStatement): void {
    const model = this.model;
    const table = model.table(statement.table);
    if (!this.started) {
      this.started = true;
      model.open.set(
        this.xid,
        model.write({ xid: this.xid, op: 6, rowId: null, owner: null, objectId: null }),
      );
    }
    const current = () => table.versions.at(-1)?.rows ?? new Map<string, ModelRow>();
    const own = this.own.get(table.name) ?? new Map<string, ModelRow | null>();
    this.own.set(table.name, own);
    const seen = new Map(current());
    for (const [rowId, row] of own) {
      if (row === null) seen.delete(rowId);
      else seen.set(rowId, row);
    }
    const image = (row: ModelRow) => redoImage(table, row);
    // LOBs never appear in a WHERE clause; long ones are written through their locator
    const lobs = table.columns.filter(isLob).map((c) => c.name);
    const where = (row: ModelRow) => redoImage(table, row, lobs);
    const base = { xid: this.xid, owner: table.owner, objectId: table.objectId };
    const writeLobs = (rowId: string, row: ModelRow, columns: readonly string[]) => {
      const keyColumns = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
      const key = redoImage(
        table,
        row,
        table.columns.map((c) => c.name).filter((c) => !keyColumns.includes(c) || lobs.includes(c)),
      );
      for (const lob of lobOperations(table, row, key, columns))
        model.write({ ...base, op: lob.kind === 'locator' ? 9 : 10, rowId, lob });
    };
    if (statement.op === 'insert') {
      const row = normalise(table.columns, statement.row);
      const rowId = model.newRowId();
      model.write({
        ...base,
        op: 1,
        rowId,
        dml: { op: 'insert', schema: table.owner, table: table.name, after: image(row) },
      });
      writeLobs(rowId, row, lobs);
      own.set(rowId, row);
      this.pending.push(() => current().set(rowId, row));
      return;
    }
    const matches = find(table, seen, statement.key);
    if (matches.length === 0) throw new Error(`no row ${JSON.stringify(statement.key)} in ${table.name}`);
    for (const [rowId, old] of matches) {
      if (statement.op === 'delete') {
        model.write({
          ...base,
          op: 2,
          rowId,
          dml: { op: 'delete', schema: table.owner, table: table.name, before: where(old) },
        });
        own.set(rowId, null);
        this.pending.push(() => current().delete(rowId));
        continue;
      }
      const row = normalise(table.columns, { ...old, ...statement.values });
      const changed = table.columns.filter((c) => row[c.name] !== old[c.name]).map((c) => c.name);
      const located = changed.filter(
        (name) => lobs.includes(name) && byLocator(column(table, name), row[name]),
      );
      const inRow = changed.filter((name) => !located.includes(name));
      if (inRow.length > 0) {
        const after = {
          ...where(old),
          ...redoImage(table, row, [...lobs.filter((c) => !inRow.includes(c))]),
        };
        model.write({
          ...base,
          op: 3,
          rowId,
          dml: { op: 'update', schema: table.owner, table: table.name, before: where(old), after },
        });
      }
      writeLobs(rowId, row, located);
      own.set(rowId, row);
      this.pending.push(() => current().set(rowId, row));
    }
  }

  /** Commits: the rows become visible at the commit SCN; `delayRedo` leaves the redo unwritten. */
  commit(options: { delayRedo?: boolean } = {}): bigint {
    const model = this.model;
    const written = model.writtenScn;
    const scn = model.write({ xid: this.xid, op: 7, rowId: null, owner: null, objectId: null });
    for (const table of model.tables.values())
      table.versions.push({ scn, rows: new Map(table.versions.at(-1)?.rows) });
    for (const apply of this.pending) apply();
    model.open.delete(this.xid);
    model.writtenScn = options.delayRedo ? written : scn;
    return scn;
  }

  rollback(): void {
    this.model.write({ xid: this.xid, op: 36, rowId: null, owner: null, objectId: null });
    this.model.open.delete(this.xid);
  }
}

/** Values as Oracle stores and fetches them: NUMBER without trailing zeros, '' as NULL. */
function normalise(columns: readonly ModelColumn[], row: ModelRow): ModelRow {
  const out: ModelRow = {};
  for (const column of columns) {
    const value = row[column.name];
    if (value === undefined || value === null || value === '') out[column.name] = null;
    else if (column.dataType === 'NUMBER' && value.includes('.'))
      out[column.name] = value.replace(/\.?0+$/, '');
    else out[column.name] = value;
  }
  return out;
}

function column(table: ModelTable, name: string): ModelColumn {
  return table.columns.find((c) => c.name === name) as ModelColumn;
}

/** Every row matching `key` (as a SQL UPDATE or DELETE by it would), one redo record each. */
function find(table: ModelTable, rows: Map<string, ModelRow>, key: ModelRow): [string, ModelRow][] {
  return [...rows].filter(([, row]) =>
    Object.entries(key).every(
      ([column, value]) =>
        row[column] === normalise(table.columns, { [column]: value })[column] || row[column] === value,
    ),
  );
}
