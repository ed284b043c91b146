import { counterOf, lsnOf, seqvalOf } from './lsn.js';

/** A value as the model stores it (SourceValue-like: text for decimals and temporals). */
export type ModelValue = string | number | boolean | Buffer | null;
export type ModelRow = Readonly<Record<string, ModelValue>>;

/** A column with its SQL Server type as DDL writes it (`int`, `decimal(12,2)`, `nvarchar(max)`). */
export interface ModelColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  /** An IDENTITY column: inserts without a value get the next one (from 1, step 1). */
  readonly identity?: boolean;
}

export interface ModelTable {
  readonly schema: string;
  readonly name: string;
  columns: ModelColumn[];
  readonly primaryKey: readonly string[];
  /** Rows by primary key; a table without one keys them by an internal row number (duplicates allowed). */
  rows: Map<string, ModelRow>;
  tracked: boolean;
  /** The last IDENTITY value handed out. */
  identity: number;
  /** Row states after each commit touching the table, for snapshot reads. */
  readonly versions: { lsn: number; rows: Map<string, ModelRow> }[];
}

/** One row of a change table. */
export interface ChangeRow {
  readonly lsn: number;
  readonly seqval: number;
  /** 1 delete, 2 insert, 3 update before, 4 update after. */
  readonly operation: number;
  readonly values: ModelRow;
}

export interface CaptureInstance {
  readonly name: string;
  readonly table: ModelTable;
  /** Cleanup moves it forward (`fn_cdc_get_min_lsn`). */
  startLsn: number;
  readonly createDate: string;
  readonly columns: readonly ModelColumn[];
  readonly rows: ChangeRow[];
  roleName: string | null;
}

export type ModelStatement =
  | { readonly op: 'insert'; readonly table: ModelTable; readonly rows: readonly ModelRow[] }
  | { readonly op: 'update'; readonly table: ModelTable; readonly key: ModelRow; readonly values: ModelRow }
  | { readonly op: 'delete'; readonly table: ModelTable; readonly key: ModelRow };

/**
 * A model of a SQL Server database with CDC: tables with rows (and their versions, for SNAPSHOT
 * reads), capture instances with change tables keyed by commit LSN and seqval, the capture job's
 * harvest (`harvestLag` commits may lag behind; `harvest()` catches up), `cdc.lsn_time_mapping`
 * and the cleanup job. Each commit gets the next LSN; the log end is the last commit's LSN.
 */
export class CdcModel {
  readonly tables = new Map<string, ModelTable>();
  readonly instances: CaptureInstance[] = [];
  /** Commit LSN counter → commit time (`cdc.lsn_time_mapping` once harvested). */
  readonly commitTimes = new Map<number, string>();
  /** The idle capture job's `tran_id = 0x00` rows of `cdc.lsn_time_mapping`: LSN counter → time. */
  private readonly markers = new Map<number, string>();
  cdcEnabled = true;
  snapshotIsolation = true;
  agentRunning = true;
  /** How many of the latest commits the capture job has not harvested yet. */
  harvestLag = 0;
  /** The cleanup job's retention in minutes (`msdb.dbo.cdc_jobs.retention`; 3 days by default). */
  retentionMinutes = 4320;
  /** Tables under shared locks (`WITH (TABLOCK, HOLDLOCK)`), by the session holding them. */
  private readonly locks = new Map<number, Set<ModelTable>>();
  /** Writes waiting for the locks on their tables, in arrival order. */
  private readonly waiting: ModelStatement[][] = [];
  private counter = 100;
  private seq = 0;
  private rowNumber = 0;
  private harvested = 0;
  private clock = Date.UTC(2024, 0, 2, 3, 4, 5);

  constructor(readonly database = 'testDB') {}

  get logEnd(): number {
    return this.counter;
  }

  /**
   * Harvests up to `logEnd - harvestLag` commits, as the capture job does in log order. With no lag
   * it reaches the log end: an idle capture job writes `tran_id = 0x00` marker rows to
   * `cdc.lsn_time_mapping`, so `fn_cdc_get_max_lsn()` advances on a quiet database too.
   */
  harvest(lag = this.harvestLag): number {
    if (!this.agentRunning) return this.harvested;
    const commits = [...this.commitTimes.keys()].filter((lsn) => lsn > this.harvested).sort((a, b) => a - b);
    const upTo = lag === 0 ? this.counter : (commits[commits.length - 1 - lag] ?? this.harvested);
    if (upTo > this.harvested && !this.commitTimes.has(upTo)) this.markers.set(upTo, this.now());
    this.harvested = Math.max(this.harvested, upTo);
    return this.harvested;
  }

  /** `fn_cdc_get_max_lsn()`: the highest harvested commit, or null when nothing was ever harvested. */
  maxLsn(): number | null {
    const harvested = this.harvest();
    return harvested > 0 ? harvested : null;
  }

  createTable(
    schema: string,
    name: string,
    columns: ModelColumn[],
    primaryKey: readonly string[],
  ): ModelTable {
    const table: ModelTable = {
      schema,
      name,
      columns,
      primaryKey,
      rows: new Map(),
      tracked: false,
      identity: 0,
      versions: [],
    };
    table.versions.push({ lsn: this.counter, rows: new Map() });
    this.tables.set(`${schema}.${name}`, table);
    return table;
  }

  table(schema: string, name: string): ModelTable | undefined {
    return this.tables.get(`${schema}.${name}`);
  }

  /** `sys.sp_cdc_enable_table`: a new capture instance of the table's current columns. */
  enableTable(table: ModelTable, instanceName = `${table.schema}_${table.name}`): CaptureInstance {
    table.tracked = true;
    this.counter += 1;
    const instance: CaptureInstance = {
      name: instanceName,
      table,
      startLsn: this.counter,
      createDate: this.now(),
      columns: [...table.columns],
      rows: [],
      roleName: null,
    };
    this.instances.push(instance);
    return instance;
  }

  /** `sys.sp_cdc_disable_table` for one instance: its change table is dropped at once. */
  disableInstance(name: string): void {
    const at = this.instances.findIndex((instance) => instance.name === name);
    if (at >= 0) this.instances.splice(at, 1);
  }

  addColumn(table: ModelTable, column: ModelColumn): void {
    table.columns = [...table.columns, column];
    const rows = new Map([...table.rows].map(([key, row]) => [key, { ...row, [column.name]: null }]));
    table.rows = rows;
    this.counter += 1;
    table.versions.push({ lsn: this.counter, rows: new Map(rows) });
  }

  /** Session `holder` takes shared locks on `tables`: writes to them wait until `release(holder)`. */
  lock(holder: number, tables: readonly ModelTable[]): void {
    this.locks.set(holder, new Set([...(this.locks.get(holder) ?? []), ...tables]));
  }

  /** Session `holder` ends its transaction: its locks go and the writes they held commit, in order. */
  release(holder: number): void {
    if (!this.locks.delete(holder)) return;
    const waiting = this.waiting.splice(0);
    for (const statements of waiting) this.write(statements);
  }

  /**
   * A writer's transaction: committed now, or — when it touches a locked table — held until the
   * locks are released (its commit LSN is then later than anything read meanwhile).
   */
  write(statements: readonly ModelStatement[]): void {
    const locked = [...this.locks.values()].some((tables) => statements.some((s) => tables.has(s.table)));
    if (locked) this.waiting.push([...statements]);
    else this.commit(statements);
  }

  /** Commits the statements as one transaction; returns its commit LSN counter. */
  commit(statements: readonly ModelStatement[]): number {
    const lsn = this.counter + 1;
    const touched = new Set<ModelTable>();
    for (const statement of statements) {
      const { table } = statement;
      touched.add(table);
      const record = (operation: number, values: ModelRow, seqval: number) => {
        for (const instance of this.instances) {
          if (instance.table !== table || instance.startLsn > lsn) continue;
          const captured = Object.fromEntries(instance.columns.map((c) => [c.name, values[c.name] ?? null]));
          instance.rows.push({ lsn, seqval, operation, values: captured });
        }
      };
      if (statement.op === 'insert') {
        for (const row of statement.rows) {
          const full = this.newRow(table, row);
          const key = table.primaryKey.length > 0 ? keyOf(table, full) : `#${++this.rowNumber}`;
          if (table.rows.has(key)) throw new Error(`duplicate key ${key} in ${table.name}`);
          table.rows.set(key, full);
          record(2, full, ++this.seq);
        }
        continue;
      }
      // Every row the key matches (a table without a primary key may hold several).
      for (const [key, old] of matching(table, statement.key)) {
        const seqval = ++this.seq;
        if (statement.op === 'delete') {
          table.rows.delete(key);
          record(1, old, seqval);
          continue;
        }
        const next = { ...old, ...statement.values };
        const newKey = table.primaryKey.length > 0 ? keyOf(table, next) : key;
        table.rows.delete(key);
        table.rows.set(newKey, next);
        // A key-changing update is logged as a delete and an insert with the same seqval.
        if (newKey !== key) {
          record(1, old, seqval);
          record(2, next, seqval);
        } else {
          record(3, old, seqval);
          record(4, next, seqval);
        }
      }
    }
    this.counter = lsn;
    for (const table of touched) table.versions.push({ lsn, rows: new Map(table.rows) });
    if ([...touched].some((table) => table.tracked)) this.commitTimes.set(lsn, this.now());
    return lsn;
  }

  /** A full row of `table` from an inserted one: absent columns NULL, IDENTITY columns numbered. */
  private newRow(table: ModelTable, row: ModelRow): ModelRow {
    const full: Record<string, ModelValue> = {};
    for (const column of table.columns) {
      const given = row[column.name];
      if (column.identity && (given === undefined || given === null)) full[column.name] = ++table.identity;
      else full[column.name] = given ?? null;
    }
    return full;
  }

  /** The table's rows as of commit counter `lsn`. */
  rowsAt(table: ModelTable, lsn: number): ModelRow[] {
    let rows: Map<string, ModelRow> = new Map();
    for (const version of table.versions) if (version.lsn <= lsn) rows = version.rows;
    return [...rows.values()];
  }

  /** Change rows of an instance the capture job has harvested. */
  harvestedRows(instance: CaptureInstance): ChangeRow[] {
    return instance.rows.filter((row) => row.lsn <= this.harvested);
  }

  /**
   * The cleanup job: removes every change and `lsn_time_mapping` row at or below `lsn` and moves
   * the instances' start.
   */
  cleanup(lsn: number): void {
    for (const times of [this.commitTimes, this.markers])
      for (const at of [...times.keys()]) if (at <= lsn) times.delete(at);
    for (const instance of this.instances) {
      instance.rows.splice(0, instance.rows.length, ...instance.rows.filter((row) => row.lsn > lsn));
      instance.startLsn = Math.max(instance.startLsn, lsn + 1);
    }
  }

  /** `fn_cdc_map_lsn_to_time`: the time of the newest harvested mapping row at or below `lsn`. */
  commitTime(lsn: number): string | null {
    let found: [number, string] | undefined;
    for (const times of [this.commitTimes, this.markers])
      for (const [at, time] of times)
        if (at <= lsn && at <= this.harvested && (!found || at > found[0])) found = [at, time];
    return found?.[1] ?? null;
  }

  lsn(n: number): Buffer {
    return lsnOf(n);
  }

  counterOf(lsn: Buffer): number {
    return counterOf(lsn);
  }

  seqval(n: number): Buffer {
    return seqvalOf(n);
  }

  /** The server clock (`SYSDATETIME()`), in ms; every timestamped event moves it one second. */
  get clockMs(): number {
    return this.clock;
  }

  /** Lets time pass at the server. */
  advanceClock(ms: number): void {
    this.clock += ms;
  }

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace('T', ' ').replace('Z', '0000');
  }
}

/** The rows (with their map keys) whose values equal `key`'s on every column it names. */
function matching(table: ModelTable, key: ModelRow): [string, ModelRow][] {
  if (table.primaryKey.length > 0) {
    const found = table.rows.get(keyOf(table, key));
    return found ? [[keyOf(table, key), found]] : [];
  }
  const names = Object.keys(key);
  return [...table.rows].filter(([, row]) => names.every((name) => row[name] === key[name]));
}

/** A row's primary key as a map key. */
export function keyOf(table: ModelTable, row: ModelRow): string {
  return JSON.stringify(table.primaryKey.map((key) => row[key] ?? null));
}
