import type { Row } from '../../../core/plugin/index.js';
import type { DriverRow, QueryRunner } from '../client/sql.js';
import { toRow } from '../schema/projection.js';
import type { Instance } from './capture-instances.js';
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

/** Operations in the change tables. */
const DELETE = 1;
const INSERT = 2;
const BEFORE = 3;
const AFTER = 4;

/** LOB types whose unchanged values the change tables hold as NULL. */
const LOB_TYPES = new Set(['text', 'ntext', 'image', 'xml']);

/** One change of one table, update images paired. */
export interface Entry extends ChangePosition {
  readonly instance: Instance;
  readonly op: 'insert' | 'update' | 'delete';
  readonly before?: Row;
  readonly after?: Row;
}

/** Reads one instance's window page by page and pairs update images. */
export class InstanceCursor {
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
export async function* mergeCursors(cursors: InstanceCursor[]): AsyncGenerator<Entry> {
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
