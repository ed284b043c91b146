import type { Row, SourceEvent, SourceTable, SourceValue, TableRef } from '../../../core/plugin/index.js';
import { adaptTableMap, binlogDecoders } from '../client/value-codec.js';
import { type BinlogPosition, formatOffset, parseOffset } from '../offset.js';
import type { SchemaTracker } from '../schema/schema-tracker.js';
import { GtidProgress } from './gtid-progress.js';

/** The parts of a ZongJi event the translator reads. */
export interface BinlogRow {
  getTypeName(): string;
  readonly timestamp: number;
  readonly nextPosition: number;
  /** Row events: ZongJi's table cache, and the table id the rows belong to. */
  readonly tableId?: number;
  readonly tableMap?: Record<number, { readonly parentSchema: string; readonly tableName: string }>;
  readonly rows?: readonly (
    | Record<string, unknown>
    | { before: Record<string, unknown>; after: Record<string, unknown> }
  )[];
  /** Query events. */
  readonly query?: string;
  readonly schema?: string;
  /** The transaction's GTID (ZongJi tracks it on every event of the transaction). */
  readonly gtid?: string;
}

type Decoder = (value: unknown) => SourceValue;

const ROW_OPS: Readonly<Record<string, 'insert' | 'update' | 'delete'>> = {
  WriteRows: 'insert',
  UpdateRows: 'update',
  DeleteRows: 'delete',
};

/**
 * Turns ZongJi's binlog events into the core's events for one database.
 *
 * Offsets: a Checkpoint carries the position after the commit (XID, a `COMMIT` query, a DDL), or
 * after the last event on an idle heartbeat. A change's `commitOffset` is the position where its
 * transaction began, plus one: consistent snapshots are always taken at transaction boundaries,
 * so a snapshot at or after that offset ends after the transaction and holds it, and one before
 * it ends before the transaction began. This works without buffering the transaction to learn
 * its end.
 */
export class BinlogTranslator {
  private readonly decoders = new WeakMap<SourceTable, Decoder[]>();
  /** The open transaction's commitOffset, or null between transactions. */
  private transaction: string | null = null;
  private lastCheckpoint: string;
  private readonly gtid: GtidProgress;

  constructor(
    private readonly tracker: SchemaTracker,
    private readonly database: string,
    /** ZongJi's resume position: it stays at the transaction's start while the transaction runs. */
    private readonly position: () => BinlogPosition,
    /** The offset the stream starts after. */
    from: string,
  ) {
    this.lastCheckpoint = from;
    this.gtid = new GtidProgress(parseOffset(from).gtid);
  }

  translate(event: BinlogRow): SourceEvent[] {
    const type = event.getTypeName();
    const op = ROW_OPS[type];
    if (op) return this.rows(op, event);
    switch (type) {
      case 'TableMap':
        adaptTableMap(event.tableMap?.[event.tableId ?? -1] as Parameters<typeof adaptTableMap>[0]);
        return [];
      case 'Xid':
        return this.commit(event);
      case 'Query':
        return this.query(event);
      case 'Heartbeat':
        return this.transaction === null ? this.checkpoint(this.position().position, event) : [];
      default:
        return [];
    }
  }

  private rows(op: 'insert' | 'update' | 'delete', event: BinlogRow): SourceEvent[] {
    const entry = event.tableMap?.[event.tableId ?? -1];
    if (!entry || entry.parentSchema !== this.database) return [];
    const ref: TableRef = { database: this.database, schema: null, name: entry.tableName };
    const table = this.tracker.get(ref);
    if (!table) return [];
    const commitOffset = this.begin();
    const decode = this.decodersFor(table);
    const sourceTs = new Date(event.timestamp);
    return (event.rows ?? []).map((raw) => {
      if (op === 'update') {
        const { before, after } = raw as { before: Record<string, unknown>; after: Record<string, unknown> };
        return {
          kind: 'change',
          op,
          table: ref,
          before: toRow(table, decode, before),
          after: toRow(table, decode, after),
          sourceTs,
          commitOffset,
        };
      }
      const row = toRow(table, decode, raw as Record<string, unknown>);
      return op === 'insert'
        ? { kind: 'change', op, table: ref, after: row, sourceTs, commitOffset }
        : { kind: 'change', op, table: ref, before: row, sourceTs, commitOffset };
    });
  }

  private query(event: BinlogRow): SourceEvent[] {
    const statement = (event.query ?? '').trim();
    if (/^BEGIN$/i.test(statement)) {
      this.begin();
      return [];
    }
    if (/^COMMIT$/i.test(statement)) return this.commit(event);
    const offset = this.offsetAt(event.nextPosition);
    const sourceTs = new Date(event.timestamp);
    const changes = this.tracker.apply(statement, event.schema || null);
    const events: SourceEvent[] = changes.map((change) =>
      change.kind === 'truncate'
        ? { ...change, sourceTs, commitOffset: offset }
        : { ...change, statement, sourceTs, commitOffset: offset },
    );
    this.transaction = null;
    this.gtid.commit(event.gtid);
    return [...events, ...this.checkpoint(event.nextPosition, event)];
  }

  private commit(event: BinlogRow): SourceEvent[] {
    this.transaction = null;
    this.gtid.commit(event.gtid);
    return this.checkpoint(event.nextPosition, event);
  }

  private checkpoint(position: number, event: BinlogRow): SourceEvent[] {
    const offset = this.offsetAt(position, this.gtid.toString());
    if (position <= 0 || offset <= this.lastCheckpoint) return [];
    this.lastCheckpoint = offset;
    return [{ kind: 'checkpoint', offset, sourceTs: new Date(event.timestamp) }];
  }

  /** The open transaction's commitOffset, starting one if none is open. */
  private begin(): string {
    if (this.transaction === null) {
      const { file, position } = this.position();
      this.transaction = formatOffset({ file, position: position + 1 });
    }
    return this.transaction;
  }

  private offsetAt(position: number, gtid?: string): string {
    const file = this.position().file;
    return formatOffset(gtid ? { file, position, gtid } : { file, position });
  }

  private decodersFor(table: SourceTable): Decoder[] {
    const known = this.decoders.get(table);
    if (known) return known;
    const decoders = binlogDecoders(table.columns);
    this.decoders.set(table, decoders);
    return decoders;
  }
}

/**
 * The row image by the tracked table's columns. A tracked column the image lacks is left out: after
 * a restart the tracker holds the current definition while older rows replay (a later ADD COLUMN
 * then follows as its own SchemaChange).
 */
function toRow(table: SourceTable, decode: readonly Decoder[], raw: Record<string, unknown>): Row {
  const row: Record<string, SourceValue> = {};
  const { columns } = table;
  for (let i = 0; i < columns.length; i++) {
    const name = (columns[i] as SourceTable['columns'][number]).name;
    if (name in raw) row[name] = (decode[i] as Decoder)(raw[name]);
  }
  return row;
}
