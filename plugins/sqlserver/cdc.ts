import { TYPES } from 'tedious';
import {
  HistoryLostError,
  type ReadChangesOptions,
  type Row,
  type SchemaChange,
  type SourceColumn,
  type SourceEvent,
  type SourceTable,
} from '../../core/plugin/index.js';
import { onAbort, qualifiedName } from '../../core/plugin/kit.js';
import {
  type ChangePosition,
  changePageParams,
  changePageSql,
  comparePositions,
  maskHasColumn,
  OPERATION,
  SEQVAL,
  START_LSN,
  UPDATE_MASK,
} from './change-page.js';
import { columnFromCatalog, discoverTables } from './discover.js';
import { formatLsn, parseLsn } from './offset.js';
import { toRow } from './projection.js';
import { CAPTURE_INSTANCES, CAPTURED_COLUMNS, LSN_TIME, MAX_LSN, MIN_LSN } from './statements.js';
import type { DriverRow, QueryRunner } from './tedious-query.js';

/** Operations in the change tables. */
const DELETE = 1;
const INSERT = 2;
const BEFORE = 3;
const AFTER = 4;

/** The LSN after every real one: the open upper bound of the newest instance. */
const LSN_END = Buffer.alloc(10, 0xff);

/** LOB types whose unchanged values the change tables hold as NULL. */
const LOB_TYPES = new Set(['text', 'ntext', 'image', 'xml']);

export interface CdcStreamSettings {
  readonly runner: QueryRunner;
  readonly database: string;
  /** The connector's schema: where bare names and `selection: null` look. */
  readonly schema: string;
  readonly pollIntervalMs: number;
  readonly pageSize: number;
}

interface Instance {
  readonly name: string;
  readonly table: SourceTable;
  readonly startLsn: Buffer;
  readonly createDate: string;
  /** Captured columns with the `_CT` table's types. */
  readonly columns: readonly SourceColumn[];
}

/** One change of one table, update images paired. */
interface Entry extends ChangePosition {
  readonly instance: Instance;
  readonly op: 'insert' | 'update' | 'delete';
  readonly before?: Row;
  readonly after?: Row;
}

/**
 * The change stream: polls `sys.fn_cdc_get_max_lsn()` and reads every captured table's changes in
 * (pos, max] from its capture instances, merged across tables in commit order (start_lsn, seqval,
 * operation) by a k-way merge over keyset pages, so memory holds at most one page per instance.
 * A Checkpoint ends each commit LSN, and one at max_lsn ends each poll window (the capture job
 * harvests in log order, so every commit up to it is in the change tables).
 */
export async function* readCdcChanges(
  settings: CdcStreamSettings,
  from: string,
  options: ReadChangesOptions,
): AsyncGenerator<SourceEvent> {
  const { signal } = options;
  let pos = parseLsn(from);
  const seen = new Map<string, Buffer>();
  const current = new Map<string, string>();
  const tables = new TableTracker(settings, options);
  while (!signal.aborted) {
    const [max] = await settings.runner.query(MAX_LSN, {}, signal);
    const maxLsn = max?.max_lsn;
    if (Buffer.isBuffer(maxLsn) && Buffer.compare(maxLsn, pos) > 0) {
      const catalog = await tables.instances(signal);
      const { instances } = catalog;
      for (const instance of instances) {
        if (!seen.has(instance.name)) seen.set(instance.name, instance.startLsn);
      }
      const cursors: InstanceCursor[] = [];
      for (const [index, instance] of instances.entries()) {
        const next = instances.slice(index + 1).find((other) => sameTable(other, instance));
        const until = next ? next.startLsn : LSN_END;
        if (Buffer.compare(until, pos) <= 0) continue;
        const fromLsn = await historyStart(settings.runner, instance, pos, seen, catalog.oldestStart, signal);
        if (Buffer.compare(fromLsn, maxLsn) > 0) continue;
        const window = { from: fromLsn, to: maxLsn, pos, until };
        cursors.push(new InstanceCursor(settings.runner, instance, window, settings.pageSize, signal));
        const key = qualifiedName(instance.table.ref);
        if (!current.has(key) && Buffer.compare(instance.startLsn, pos) <= 0) current.set(key, instance.name);
      }
      for (const instance of tables.takeCreated())
        current.set(qualifiedName(instance.table.ref), instance.name);
      const creates = (upTo: Buffer) => tables.creates(pos, upTo);
      let lastLsn: Buffer | undefined;
      for await (const entry of mergeCursors(cursors)) {
        if (lastLsn && !lastLsn.equals(entry.lsn)) yield { kind: 'checkpoint', offset: formatLsn(lastLsn) };
        yield* creates(entry.lsn);
        lastLsn = entry.lsn;
        const commitOffset = formatLsn(entry.lsn);
        const key = qualifiedName(entry.instance.table.ref);
        if (current.get(key) !== entry.instance.name) {
          if (current.has(key)) {
            yield { kind: 'schema', action: 'alter', table: capturedShape(entry.instance), commitOffset };
          }
          current.set(key, entry.instance.name);
        }
        yield {
          kind: 'change',
          op: entry.op,
          table: entry.instance.table.ref,
          ...(entry.before ? { before: entry.before } : {}),
          ...(entry.after ? { after: entry.after } : {}),
          commitOffset,
        };
      }
      if (signal.aborted) return;
      if (lastLsn) yield { kind: 'checkpoint', offset: formatLsn(lastLsn) };
      yield* creates(maxLsn);
      if (!lastLsn || Buffer.compare(maxLsn, lastLsn) > 0)
        yield { kind: 'checkpoint', offset: formatLsn(maxLsn) };
      pos = maxLsn;
      continue;
    }
    await sleep(settings.pollIntervalMs, signal);
  }
}

/**
 * Where an instance's reading starts: `pos`, or the instance's min LSN when the instance began
 * after `pos`. When cleanup has removed changes after `pos` (the min LSN passed it for an
 * instance that existed at `pos`, or nothing is left to date `pos` by), the history is lost:
 * HistoryLostError, never a silent skip. A min LSN just above `pos` counts as lost too (SQL Server
 * cannot tell whether a change lay between them).
 */
async function historyStart(
  runner: QueryRunner,
  instance: Instance,
  pos: Buffer,
  seen: ReadonlyMap<string, Buffer>,
  oldestStart: Buffer | undefined,
  signal: AbortSignal,
): Promise<Buffer> {
  const [row] = await runner.query(MIN_LSN, { instance: nvarchar(instance.name) }, signal);
  const min = row?.min_lsn;
  if (!Buffer.isBuffer(min) || Buffer.compare(min, pos) <= 0) return pos;
  // Cleanup moves every instance's start to one low watermark: an instance still starting at or
  // before pos shows that cleanup has not passed pos, so this one began after it.
  if (oldestStart !== undefined && Buffer.compare(oldestStart, pos) <= 0) return min;
  const firstSeen = seen.get(instance.name);
  let existedAtPos = firstSeen !== undefined && Buffer.compare(firstSeen, pos) <= 0;
  if (!existedAtPos) {
    // The time of the last lsn_time_mapping entry at or below pos; none left means the cleanup
    // job passed pos too, so the instance cannot be shown to be newer: history is lost.
    const [time] = await runner.query(LSN_TIME, { lsn: binary10(pos) }, signal);
    const at = time?.commit_time;
    existedAtPos = typeof at !== 'string' || instance.createDate <= at;
  }
  if (existedAtPos)
    throw new HistoryLostError(
      `capture instance ${instance.name} of ${qualifiedName(instance.table.ref)} no longer holds the changes after ${formatLsn(pos)} (its oldest is ${formatLsn(min)}): the CDC cleanup job removed them; snapshot the table again`,
    );
  return min;
}

/** Whether two capture instances capture the same table. */
function sameTable(a: Instance, b: Instance): boolean {
  return a.table.ref.schema === b.table.ref.schema && a.table.ref.name === b.table.ref.name;
}

/**
 * The table as a capture instance captured it: the instance's columns and types, with nullability,
 * identity and key from the source table where it has the column (a `_CT` table's columns are all
 * nullable, key columns included).
 */
function capturedShape(instance: Instance): SourceTable {
  const { table } = instance;
  const names = new Set(instance.columns.map((column) => column.name));
  const primaryKey = table.primaryKey.filter((key) => names.has(key));
  const columns = instance.columns.map((column) => {
    const known = table.columns.find((source) => source.name === column.name);
    return {
      ...column,
      nullable: primaryKey.includes(column.name) ? false : (known?.nullable ?? column.nullable),
      autoIncrement: known?.autoIncrement ?? false,
    };
  });
  return { ...table, columns, primaryKey };
}

/**
 * The capture instances of `tables`, oldest first, and the lowest start LSN of any instance in
 * the database (undefined when none has one yet).
 */
async function loadInstances(
  runner: QueryRunner,
  database: string,
  tables: readonly SourceTable[],
  signal: AbortSignal,
): Promise<InstanceCatalog> {
  const byName = new Map(tables.map((table) => [`${table.ref.schema}.${table.ref.name}`, table]));
  const columns = new Map<string, SourceColumn[]>();
  for (const row of await runner.query(CAPTURED_COLUMNS, {}, signal)) {
    const name = String(row.capture_instance);
    const list = columns.get(name) ?? [];
    list.push(columnFromCatalog(row, list.length + 1));
    columns.set(name, list);
  }
  const instances: Instance[] = [];
  const untracked = new Set<string>();
  let oldestStart: Buffer | undefined;
  for (const row of await runner.query(CAPTURE_INSTANCES, {}, signal)) {
    if (!Buffer.isBuffer(row.start_lsn)) continue;
    if (!oldestStart || Buffer.compare(row.start_lsn, oldestStart) < 0) oldestStart = row.start_lsn;
    const table = byName.get(`${row.schema_name}.${row.table_name}`);
    if (!table) {
      untracked.add(`${row.schema_name}.${row.table_name}`);
      continue;
    }
    const name = String(row.capture_instance);
    instances.push({
      name,
      table: { ...table, ref: { ...table.ref, database } },
      startLsn: row.start_lsn,
      createDate: String(row.create_date),
      columns: columns.get(name) ?? [],
    });
  }
  instances.sort((a, b) => Buffer.compare(a.startLsn, b.startLsn));
  return { instances, oldestStart, untracked };
}

interface InstanceCatalog {
  readonly instances: Instance[];
  /** The lowest start LSN of any capture instance in the database. */
  readonly oldestStart: Buffer | undefined;
  /** `schema.table` of capture instances whose table is not tracked. */
  readonly untracked: ReadonlySet<string>;
}

/**
 * The tables the stream reads: the connector's, plus those a DBA enables for CDC while it runs
 * when the connector's selection takes them (all of `schema` for `null`). Such a table arrives as
 * a `create` with its captured shape at its first instance's start, before its first row.
 */
class TableTracker {
  private readonly tracked: SourceTable[];
  private readonly ignored = new Set<string>();
  private created: Instance[] = [];
  private readonly pending: Instance[] = [];

  constructor(
    private readonly settings: CdcStreamSettings,
    private readonly options: ReadChangesOptions,
  ) {
    this.tracked = [...options.tables];
  }

  /** The capture instances of the tracked tables, taking in newly enabled selected tables. */
  async instances(signal: AbortSignal): Promise<InstanceCatalog> {
    const { runner, database, schema } = this.settings;
    const catalog = await loadInstances(runner, database, this.tracked, signal);
    const fresh = [...catalog.untracked].filter((name) => !this.ignored.has(name));
    if (fresh.length === 0 || this.options.selection === undefined) return catalog;
    const selected = await discoverTables(runner, database, schema, this.options.selection);
    const added = selected.filter((table) => fresh.includes(qualifiedName(table.ref)));
    for (const name of fresh)
      if (!added.some((table) => qualifiedName(table.ref) === name)) this.ignored.add(name);
    if (added.length === 0) return catalog;
    this.tracked.push(...added);
    const again = await loadInstances(runner, database, this.tracked, signal);
    for (const table of added) {
      const first = again.instances.find(
        (instance) => qualifiedName(instance.table.ref) === qualifiedName(table.ref),
      );
      if (first) this.pending.push(first);
    }
    this.created = [...this.pending];
    return again;
  }

  /** The instances whose tables were just taken in (once). */
  takeCreated(): Instance[] {
    const created = this.created;
    this.created = [];
    return created;
  }

  /** The `create` events due at or before `upTo` (at the first change after `pos` for an instance older than it). */
  *creates(pos: Buffer, upTo: Buffer): Generator<SchemaChange> {
    for (let at = 0; at < this.pending.length; ) {
      const instance = this.pending[at] as Instance;
      if (Buffer.compare(instance.startLsn, upTo) > 0) {
        at += 1;
        continue;
      }
      this.pending.splice(at, 1);
      const offset = Buffer.compare(instance.startLsn, pos) > 0 ? instance.startLsn : upTo;
      yield {
        kind: 'schema',
        action: 'create',
        table: capturedShape(instance),
        commitOffset: formatLsn(offset),
      };
    }
  }
}

/** Reads one instance's window page by page and pairs update images. */
class InstanceCursor {
  private page: DriverRow[] = [];
  private at = 0;
  private last: ChangePosition | undefined;
  private exhausted = false;
  head: Entry | undefined;

  constructor(
    private readonly runner: QueryRunner,
    private readonly instance: Instance,
    private readonly window: { from: Buffer; to: Buffer; pos: Buffer; until: Buffer },
    private readonly pageSize: number,
    private readonly signal: AbortSignal,
  ) {}

  /** Moves `head` to the next change; undefined at the end of the window. */
  async advance(): Promise<void> {
    const first = await this.nextRow();
    if (!first) {
      this.head = undefined;
      return;
    }
    const position = positionOf(first);
    const row = (values: DriverRow, after = false) => this.rowOf(values, after);
    if (position.operation === BEFORE || position.operation === DELETE) {
      const pair = await this.peekRow();
      const paired =
        pair &&
        positionOf(pair).lsn.equals(position.lsn) &&
        positionOf(pair).seqval.equals(position.seqval) &&
        positionOf(pair).operation === (position.operation === BEFORE ? AFTER : INSERT);
      if (paired) {
        this.at += 1;
        this.head = {
          ...position,
          instance: this.instance,
          op: 'update',
          before: row(first),
          after: row(pair, true),
        };
        return;
      }
    }
    const op = position.operation === INSERT || position.operation === AFTER ? 'insert' : 'delete';
    this.head =
      op === 'insert'
        ? { ...position, instance: this.instance, op, after: row(first) }
        : { ...position, instance: this.instance, op, before: row(first) };
  }

  private rowOf(values: DriverRow, afterImage: boolean): Row {
    const row = toRow(this.instance.columns, values) as Record<string, unknown>;
    if (afterImage) {
      const mask = values[UPDATE_MASK] as Buffer | null;
      for (const column of this.instance.columns) {
        const lob = LOB_TYPES.has(column.type) || column.length === null;
        if (lob && row[column.name] === null && !maskHasColumn(mask, column.position))
          delete row[column.name];
      }
    }
    return row as Row;
  }

  private async nextRow(): Promise<DriverRow | undefined> {
    const row = await this.peekRow();
    if (row) this.at += 1;
    return row;
  }

  private async peekRow(): Promise<DriverRow | undefined> {
    if (this.at < this.page.length) return this.page[this.at];
    if (this.exhausted) return undefined;
    const sql = changePageSql(this.instance.name, this.instance.columns, this.last !== undefined);
    const params = changePageParams(this.window, this.pageSize, this.last);
    this.page = await this.runner.query(sql, params, this.signal);
    this.at = 0;
    if (this.page.length < this.pageSize) this.exhausted = true;
    const tail = this.page[this.page.length - 1];
    if (tail) this.last = positionOf(tail);
    return this.page[0];
  }
}

function positionOf(row: DriverRow): ChangePosition {
  return { lsn: row[START_LSN] as Buffer, seqval: row[SEQVAL] as Buffer, operation: Number(row[OPERATION]) };
}

/** Yields the cursors' entries in log order. */
async function* mergeCursors(cursors: InstanceCursor[]): AsyncGenerator<Entry> {
  for (const cursor of cursors) await cursor.advance();
  for (;;) {
    let best: InstanceCursor | undefined;
    for (const cursor of cursors) {
      if (cursor.head && (!best?.head || comparePositions(cursor.head, best.head) < 0)) best = cursor;
    }
    if (!best?.head) return;
    yield best.head;
    await best.advance();
  }
}

function nvarchar(value: string) {
  return { type: TYPES.NVarChar, value };
}

function binary10(value: Buffer) {
  return { type: TYPES.Binary, value, options: { length: 10 } };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    const stop = onAbort(signal, done);
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}
