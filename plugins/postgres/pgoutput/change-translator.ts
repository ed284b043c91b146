import type {
  Row,
  SchemaChange,
  SourceEvent,
  SourceTable,
  SourceValue,
  TableRef,
} from '../../../core/plugin/index.js';
import { type ValueParser, valueParser } from '../client/value-parsers.js';
import type { DescribedTable } from '../discover.js';
import { formatOffset } from '../offset.js';
import type { DdlTracker, PendingSchema } from '../schema/ddl-tracker.js';
import { DDL_MESSAGE_PREFIX } from '../schema/ddl-trigger.js';
import { parseDdlMessage } from './ddl-message.js';
import {
  type PgoutputMessage,
  type RelationMessage,
  type Tuple,
  UNCHANGED_TOAST,
} from './pgoutput-decoder.js';

/** What the replication socket delivers: a pgoutput message, or a keepalive with the server's WAL end. */
export type WalItem =
  | { readonly kind: 'message'; readonly message: PgoutputMessage }
  | { readonly kind: 'keepalive'; readonly walEnd: bigint };

/** Looks up the complete definition of a relation a Relation message announces. */
export type RelationCatalog = (relation: RelationMessage) => Promise<DescribedTable>;

interface RelationState {
  readonly message: RelationMessage;
  readonly table: SourceTable;
  readonly parsers: readonly ValueParser[];
  /** Emitted before the relation's next row: the relation changed shape or name. */
  pending: PendingSchema | undefined;
}

interface OpenTransaction {
  readonly commitOffset: string;
  readonly sourceTs: Date;
}

/**
 * Turns pgoutput messages into contract events, in order:
 * - Begin opens a transaction whose changes carry `commitOffset` = commit LSN + 1: a snapshot whose
 *   start offset is at or after it (its consistent point is past the commit record) holds them.
 * - Commit closes it with a Checkpoint at the commit's end LSN.
 * - A keepalive outside a transaction becomes a Checkpoint at the server's WAL end when that is
 *   ahead of the last checkpoint and no checkpoint was emitted for `idleCheckpointMs`, so offsets
 *   advance on an idle source without a checkpoint for every keepalive.
 * - A Relation message whose columns differ from the last one for that table, or (the first time
 *   the table is seen) from the definition the engine passed in, yields a SchemaChange `alter`
 *   (`rename` when the name changed) with the complete new definition, before the next row.
 * - A `tributary.ddl` logical message (the DDL trigger's, when `ddl` is given) yields the
 *   tracker's `create` / `alter` / `rename` / `drop` at once, in its transaction's place; a
 *   Relation message that then shows the columns the message gave adds no second `alter`.
 * - In UPDATEs, columns pgoutput marks as unchanged TOAST are left out of `after`. `before` is the
 *   old row (REPLICA IDENTITY FULL), else the old key (key changed), else the key of the new row.
 */
export class ChangeTranslator {
  private readonly relations = new Map<number, RelationState>();
  private transaction: OpenTransaction | null = null;
  private lastCheckpoint: bigint;
  private lastCheckpointAt = Date.now();

  constructor(
    private readonly describe: RelationCatalog,
    private readonly known: readonly SourceTable[],
    from: bigint,
    private readonly idleCheckpointMs: number,
    private readonly ddl: DdlTracker | null = null,
  ) {
    this.lastCheckpoint = from;
  }

  async translate(item: WalItem): Promise<SourceEvent[]> {
    if (item.kind === 'keepalive') {
      if (this.transaction !== null || item.walEnd <= this.lastCheckpoint) return [];
      if (Date.now() - this.lastCheckpointAt < this.idleCheckpointMs) return [];
      this.lastCheckpoint = item.walEnd;
      this.lastCheckpointAt = Date.now();
      return [{ kind: 'checkpoint', offset: formatOffset(item.walEnd) }];
    }
    const { message } = item;
    switch (message.tag) {
      case 'begin':
        this.transaction = {
          commitOffset: formatOffset(message.finalLsn + 1n),
          sourceTs: message.commitTime,
        };
        return [];
      case 'commit':
        return this.commit(message.endLsn, message.commitTime);
      case 'relation':
        await this.relation(message);
        return [];
      case 'insert':
      case 'update':
      case 'delete':
        return this.rowChange(message);
      case 'truncate':
        return this.truncate(message.relations);
      case 'message':
        return message.prefix === DDL_MESSAGE_PREFIX && message.transactional && this.ddl !== null
          ? this.schemaMessage(message.content, this.ddl)
          : [];
      case 'ignored':
        return [];
    }
  }

  private async schemaMessage(content: string, ddl: DdlTracker): Promise<SourceEvent[]> {
    const { commitOffset, sourceTs } = this.open();
    const events: SourceEvent[] = [];
    for (const { oid, change, described } of await ddl.apply(parseDdlMessage(content))) {
      const state = this.relations.get(oid);
      if (change.action === 'drop') this.relations.delete(oid);
      else if (state !== undefined && described !== undefined)
        this.relations.set(oid, { ...state, table: described.table, pending: undefined });
      events.push({ ...change, commitOffset, sourceTs } as SchemaChange);
    }
    return events;
  }

  private commit(endLsn: bigint, sourceTs: Date): SourceEvent[] {
    this.transaction = null;
    if (endLsn <= this.lastCheckpoint) return [];
    this.lastCheckpoint = endLsn;
    this.lastCheckpointAt = Date.now();
    return [{ kind: 'checkpoint', offset: formatOffset(endLsn), sourceTs }];
  }

  private async relation(message: RelationMessage): Promise<void> {
    const previous = this.relations.get(message.oid);
    if (previous !== undefined && sameRelation(previous.message, message)) {
      this.relations.set(message.oid, { ...previous, message });
      return;
    }
    const announced = this.ddl?.described(message.oid, message.columns);
    const described = announced ?? (await this.describe(message));
    const { table } = described;
    let pending: PendingSchema | undefined;
    if (announced !== undefined) {
      pending = undefined;
    } else if (previous === undefined) {
      const known = this.known.find((candidate) => sameRef(candidate.ref, table.ref));
      if (known !== undefined && !sameShape(known, table))
        pending = { kind: 'schema', action: 'alter', table };
    } else {
      const from = previous.pending?.from ?? previous.table.ref;
      pending = sameRef(from, table.ref)
        ? { kind: 'schema', action: 'alter', table }
        : { kind: 'schema', action: 'rename', from, table };
    }
    const parsers = described.baseTypeOids.map(valueParser);
    this.relations.set(message.oid, { message, table, parsers, pending });
  }

  private rowChange(
    message: Extract<PgoutputMessage, { tag: 'insert' | 'update' | 'delete' }>,
  ): SourceEvent[] {
    const state = this.state(message.relation);
    const { commitOffset, sourceTs } = this.open();
    const events = this.takePending(state);
    const change = { kind: 'change', table: state.table.ref, sourceTs, commitOffset } as const;
    if (message.tag === 'insert') {
      events.push({ ...change, op: 'insert', after: toRow(state, message.after) });
    } else if (message.tag === 'update') {
      const after = toRow(state, message.after);
      const before = message.old
        ? toRow(state, message.old)
        : message.key
          ? keyRow(state, message.key)
          : pick(after, keyColumns(state));
      events.push({ ...change, op: 'update', before, after });
    } else {
      const before = message.old ? toRow(state, message.old) : keyRow(state, message.key ?? []);
      events.push({ ...change, op: 'delete', before });
    }
    return events;
  }

  private truncate(relations: readonly number[]): SourceEvent[] {
    const { commitOffset, sourceTs } = this.open();
    const states = relations.map((oid) => this.state(oid));
    const events = states.flatMap((state) => this.takePending(state));
    events.push({ kind: 'truncate', tables: states.map((state) => state.table.ref), sourceTs, commitOffset });
    return events;
  }

  private takePending(state: RelationState): SourceEvent[] {
    const { pending } = state;
    if (pending === undefined) return [];
    state.pending = undefined;
    const { commitOffset, sourceTs } = this.open();
    return [{ ...pending, commitOffset, sourceTs }];
  }

  private state(oid: number): RelationState {
    const state = this.relations.get(oid);
    if (state === undefined) throw new Error(`pgoutput: a change names relation ${oid} before describing it`);
    return state;
  }

  private open(): OpenTransaction {
    if (this.transaction === null) throw new Error('pgoutput: a change arrived outside a transaction');
    return this.transaction;
  }
}

function toRow(state: RelationState, tuple: Tuple): Row {
  const row: Record<string, SourceValue> = {};
  state.message.columns.forEach((column, index) => {
    const value = tuple[index];
    if (value === undefined || value === UNCHANGED_TOAST) return;
    row[column.name] = value === null ? null : (state.parsers[index] as ValueParser)(value);
  });
  return row;
}

/** A key tuple carries the replica-identity columns; the others are sent as nulls. */
function keyRow(state: RelationState, tuple: Tuple): Row {
  const names = state.message.columns.filter((column) => column.isKey).map((column) => column.name);
  return pick(toRow(state, tuple), names);
}

function keyColumns(state: RelationState): readonly string[] {
  if (state.table.primaryKey.length > 0) return state.table.primaryKey;
  return state.message.columns.filter((column) => column.isKey).map((column) => column.name);
}

function pick(row: Row, names: readonly string[]): Row {
  return Object.fromEntries(names.filter((name) => name in row).map((name) => [name, row[name] ?? null]));
}

function sameRef(a: TableRef, b: TableRef): boolean {
  return a.database === b.database && a.schema === b.schema && a.name === b.name;
}

function sameRelation(a: RelationMessage, b: RelationMessage): boolean {
  return (
    a.schema === b.schema &&
    a.name === b.name &&
    a.columns.length === b.columns.length &&
    a.columns.every((column, index) => {
      const other = b.columns[index];
      return (
        other?.name === column.name && other.typeOid === column.typeOid && other.typmod === column.typmod
      );
    })
  );
}

function sameShape(a: SourceTable, b: SourceTable): boolean {
  return (
    a.columns.length === b.columns.length &&
    a.columns.every((column, index) => {
      const other = b.columns[index];
      return (
        other?.name === column.name &&
        other.type === column.type &&
        (other.length ?? null) === (column.length ?? null) &&
        (other.precision ?? null) === (column.precision ?? null) &&
        (other.scale ?? null) === (column.scale ?? null)
      );
    })
  );
}
