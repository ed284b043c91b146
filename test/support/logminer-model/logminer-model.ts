import { redoImage } from './model-redo.js';
import { type ModelStatement, ModelTransaction } from './model-transaction.js';
import type { BulkRedo, ModelColumn, ModelLog, ModelRow, ModelTable, RedoRecord } from './model-types.js';

export type { ModelStatement } from './model-transaction.js';
export { ModelTransaction };

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
