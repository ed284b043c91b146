import type { RedoImage, RedoLiteral } from '../../../plugins/oracle/logminer/redo-literal.js';
import { binaryOrLobLiteral, byLocator, isLob, lobOperations } from './model-lobs.js';
import type { BulkRedo, ModelColumn, ModelLog, ModelRow, ModelTable, RedoRecord } from './model-types.js';

/** A statement inside a model transaction. */
export type ModelStatement =
  | { readonly op: 'insert'; readonly table: string; readonly row: ModelRow }
  | { readonly op: 'update'; readonly table: string; readonly key: ModelRow; readonly values: ModelRow }
  | { readonly op: 'delete'; readonly table: string; readonly key: ModelRow };

/**
 * An Oracle database as LogMiner sees it, for tests: one schema owner's tables with committed
 * versions (`AS OF SCN` reads), SCNs handed out one per redo record, redo records in online logs
 * that are switched and archived (and may be deleted), open transactions (V$TRANSACTION), a
 * dictionary that changes with DDL (a dropped table's old redo mines as `"UNKNOWN"."OBJ# n"`),
 * and redo that is written lazily: a commit with `delayRedo` has its SCN before its redo is
 * visible to mining, until the next ordinary commit (what the plugin's flush write forces).
 */
export class LogMinerModel {
  scn = 1000n;
  readonly tables = new Map<string, ModelTable>();
  readonly redo: RedoRecord[] = [];
  /** Bulk transactions' redo, generated when mined (see `bulkInsert`). */
  readonly bulkRedo: BulkRedo[] = [];
  readonly logs: ModelLog[] = [{ sequence: 1, firstScn: 1n, nextScn: null, archived: false, deleted: false }];
  /** Open transactions: XID → start SCN. */
  readonly open = new Map<string, bigint>();
  /** Redo at or below this SCN is on disk (mined); higher redo waits for a commit. */
  writtenScn = 1000n;
  archivelog = true;
  supplementalMin = 'YES';
  privileges = new Set([
    'CREATE SESSION',
    'LOGMINING',
    'SELECT ANY TRANSACTION',
    'FLASHBACK ANY TABLE',
    'SELECT ANY TABLE',
    'SELECT ANY DICTIONARY',
    'CREATE TABLE',
  ]);
  roles = new Set(['EXECUTE_CATALOG_ROLE']);
  private nextXid = 1;
  private nextObject = 70_000;
  private nextRow = 1;

  constructor(readonly owner = 'DBZUSER') {}

  /** `CREATE TABLE` (committed DDL). */
  createTable(name: string, columns: ModelColumn[], primaryKey: string[]): void {
    const table: ModelTable = {
      owner: this.owner,
      name,
      objectId: this.nextObject++,
      columns,
      primaryKey,
      allColumnLogging: true,
      versions: [{ scn: this.scn, rows: new Map() }],
    };
    this.tables.set(name, table);
    this.ddl(
      table,
      `create table "${this.owner}"."${name}" (${columns.map((c) => `"${c.name}" ${c.dataType}`).join(', ')});`,
    );
  }

  addColumn(name: string, column: ModelColumn): void {
    const table = this.table(name);
    table.columns = [...table.columns, column];
    this.ddl(table, `alter table "${this.owner}"."${name}" add ("${column.name}" ${column.dataType});`);
  }

  /** An ALTER TABLE (committed DDL) that LogMiner shows as `text`; `edit` changes the dictionary. */
  alterTable(name: string, text: string, edit: (table: ModelTable) => void): void {
    const table = this.table(name);
    edit(table);
    this.ddl(table, text);
  }

  truncate(name: string): void {
    const table = this.table(name);
    this.ddl(table, `truncate table "${this.owner}"."${name}";`);
    table.versions.push({ scn: this.scn, rows: new Map() });
  }

  dropTable(name: string): void {
    const table = this.table(name);
    this.ddl(table, `drop table "${this.owner}"."${name}" AS "BIN$${table.objectId}==$0";`);
    this.tables.delete(name);
  }

  /** Starts a transaction; it holds an XID from its first statement. */
  begin(): ModelTransaction {
    return new ModelTransaction(this, (this.nextXid++).toString(16).toUpperCase().padStart(16, '0'));
  }

  /** One transaction of `statements`, committed. */
  commit(statements: readonly ModelStatement[], options: { delayRedo?: boolean } = {}): bigint {
    const tx = this.begin();
    for (const statement of statements) tx.run(statement);
    return tx.commit(options);
  }

  /**
   * One committed transaction inserting `count` rows made by `row(i)`, whose redo is generated when
   * mined rather than kept, so that a million-row transaction costs the model no memory. Only the
   * redo exists: the rows are not added to the table's versions (no `AS OF` reads of them).
   */
  bulkInsert(name: string, count: number, row: (index: number) => ModelRow): bigint {
    const table = this.table(name);
    const xid = (this.nextXid++).toString(16).toUpperCase().padStart(16, '0');
    this.write({ xid, op: 6, rowId: null, owner: null, objectId: null });
    const firstScn = this.scn + 1n;
    const sequence = (this.logs.at(-1) as ModelLog).sequence;
    const time = new Date();
    this.bulkRedo.push({
      firstScn,
      count,
      at: (index) => ({
        scn: firstScn + BigInt(index),
        xid,
        op: 1,
        rowId: `AAAB${index.toString().padStart(14, '0')}`,
        sequence,
        owner: table.owner,
        objectId: table.objectId,
        dml: { op: 'insert', schema: table.owner, table: table.name, after: redoImage(table, row(index)) },
        time,
      }),
    });
    this.scn += BigInt(count);
    const scn = this.write({ xid, op: 7, rowId: null, owner: null, objectId: null });
    this.writtenScn = scn;
    return scn;
  }

  /** Ends the current online log (archived) and opens the next. */
  switchLog(): void {
    const current = this.logs.at(-1) as ModelLog;
    current.nextScn = ++this.scn;
    current.archived = true;
    this.logs.push({
      sequence: current.sequence + 1,
      firstScn: this.scn,
      nextScn: null,
      archived: false,
      deleted: false,
    });
  }

  /** Deletes archived logs up to `sequence` (RMAN). */
  deleteArchivedThrough(sequence: number): void {
    for (const log of this.logs) if (log.archived && log.sequence <= sequence) log.deleted = true;
  }

  /** The redo flush: any commit writes every redo record so far. */
  flush(): void {
    this.scn++;
    this.writtenScn = this.scn;
  }

  table(name: string): ModelTable {
    const table = this.tables.get(name);
    if (table === undefined) throw new Error(`ORA-00942: table or view does not exist (${name})`);
    return table;
  }

  /** The table's rows as of `scn`. */
  rowsAsOf(table: ModelTable, scn: bigint): Map<string, ModelRow> {
    let rows = new Map<string, ModelRow>();
    for (const version of table.versions) if (version.scn <= scn) rows = version.rows;
    return rows;
  }

  /** Appends a redo record at the next SCN. */
  write(record: Omit<RedoRecord, 'scn' | 'sequence' | 'time'>): bigint {
    const scn = ++this.scn;
    this.redo.push({ ...record, scn, sequence: (this.logs.at(-1) as ModelLog).sequence, time: new Date() });
    return scn;
  }

  newRowId(): string {
    return `AAAR${(this.nextRow++).toString().padStart(14, '0')}`;
  }

  private ddl(table: ModelTable, text: string): void {
    const xid = (this.nextXid++).toString(16).toUpperCase().padStart(16, '0');
    this.write({ xid, op: 6, rowId: null, owner: null, objectId: null });
    this.write({ xid, op: 5, rowId: null, owner: this.owner, objectId: table.objectId, ddl: text });
    this.write({ xid, op: 7, rowId: null, owner: null, objectId: null });
    this.writtenScn = this.scn;
  }
}

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

/** A row as SQL_REDO writes it: the columns present (but `leaveOut`), each as its type's literal. */
function redoImage(table: ModelTable, row: ModelRow, leaveOut: readonly string[] = []): RedoImage {
  return Object.fromEntries(
    table.columns
      .filter((c) => c.name in row && !leaveOut.includes(c.name))
      .map((c) => [c.name, literal(c, row[c.name] ?? null)]),
  );
}

function column(table: ModelTable, name: string): ModelColumn {
  return table.columns.find((c) => c.name === name) as ModelColumn;
}

/** A value as LogMiner writes it in SQL_REDO for the column's type. */
function literal(column: ModelColumn, value: string | null): RedoLiteral {
  if (value === null) return { form: 'null' };
  const binaryOrLob = binaryOrLobLiteral(column, value);
  if (binaryOrLob !== null) return binaryOrLob;
  if (column.dataType === 'DATE') return { form: 'date', text: value, mask: 'YYYY-MM-DD HH24:MI:SS' };
  if (column.dataType.startsWith('TIMESTAMP')) return { form: 'timestamp', text: value };
  return { form: 'string', text: value };
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
