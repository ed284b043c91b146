import type { Random } from '../fuzz-operations.js';
import type { LogMinerModel, ModelTransaction } from './logminer-model.js';
import type { ModelRow } from './model-types.js';

interface OpenTransaction {
  readonly tx: ModelTransaction;
  /** Ids this transaction may touch: committed when it first read the table, plus its own inserts. */
  readonly visible: Set<number>;
  /** Ids it holds row locks on (touched, not yet committed). */
  readonly locked: Set<number>;
}

/** A committed transaction of the workload (each has at least one change to the table). */
export interface CommittedWork {
  readonly xid: string;
  readonly scn: bigint;
}

/**
 * A seeded random workload on one table `(id NUMBER(9) key, name VARCHAR2, qty NUMBER(9), body CLOB)` of a
 * LogMiner model: up to three interleaved transactions inserting, updating (also the key) and
 * deleting rows, committed or rolled back, with log switches between. Row locks are kept as
 * Oracle keeps them: a row touched by an open transaction is not touched by another.
 */
export class RandomWorkload {
  private nextId = 1;
  private readonly open: OpenTransaction[] = [];
  readonly committed: CommittedWork[] = [];

  constructor(
    private readonly model: LogMinerModel,
    private readonly random: Random,
    readonly table = 'ITEMS',
  ) {}

  /** Creates the table (committed DDL). */
  create(): void {
    this.model.createTable(
      this.table,
      [
        { name: 'id', dataType: 'NUMBER', precision: 9, scale: 0, nullable: false },
        { name: 'name', dataType: 'VARCHAR2', charLength: 200, nullable: true },
        { name: 'qty', dataType: 'NUMBER', precision: 9, scale: 0, nullable: true },
        { name: 'body', dataType: 'CLOB', nullable: true },
      ],
      ['id'],
    );
  }

  /** One random action. */
  step(): void {
    const r = this.random.next();
    if (r < 0.25 && this.open.length < 3) this.begin();
    else if (r < 0.7 && this.open.length > 0) this.statement(this.random.pick(this.open));
    else if (r < 0.88 && this.open.length > 0) this.end(this.random.pick(this.open), true);
    else if (r < 0.94 && this.open.length > 0) this.end(this.random.pick(this.open), false);
    else if (r < 0.97) this.model.switchLog();
    else this.autocommit();
  }

  get openTransactions(): number {
    return this.open.length;
  }

  /** Ends every open transaction with a commit. */
  finish(): void {
    while (this.open.length > 0) this.end(this.open[0] as OpenTransaction, true);
  }

  /** The table's committed rows now, as the stream and snapshot hand them over (numbers for NUMBER(9)). */
  rows(): Map<unknown, Record<string, unknown>> {
    const rows = this.model.rowsAsOf(this.model.table(this.table), this.model.scn);
    return new Map(
      [...rows.values()].map((row) => [
        Number(row.id),
        { ...row, id: Number(row.id), qty: numberOrNull(row.qty) },
      ]),
    );
  }

  /** A single-statement transaction, committed at once. */
  private autocommit(): void {
    const tx = this.model.begin();
    tx.run({ op: 'insert', table: this.table, row: this.row(this.nextId++) });
    this.committed.push({ xid: tx.xid, scn: tx.commit() });
  }

  /** Starts a transaction with one insert, left open. */
  begin(): void {
    const tx = this.model.begin();
    const id = this.nextId++;
    tx.run({ op: 'insert', table: this.table, row: this.row(id) });
    const committed = new Set(this.rows().keys() as Iterable<number>);
    this.open.push({ tx, visible: new Set([...committed, id]), locked: new Set([id]) });
  }

  private statement(open: OpenTransaction): void {
    const committed = new Set(this.rows().keys());
    const lockedByOthers = new Set(this.open.filter((o) => o !== open).flatMap((o) => [...o.locked]));
    const candidates = [...open.visible].filter(
      (id) => !lockedByOthers.has(id) && (committed.has(id) || open.locked.has(id)),
    );
    const choice = this.random.next();
    if (candidates.length === 0 || choice < 0.35) {
      const id = this.nextId++;
      open.tx.run({ op: 'insert', table: this.table, row: this.row(id) });
      open.visible.add(id);
      open.locked.add(id);
      return;
    }
    const id = this.random.pick(candidates);
    open.locked.add(id);
    if (choice < 0.55) {
      open.tx.run({ op: 'delete', table: this.table, key: { id: String(id) } });
      open.visible.delete(id);
    } else if (choice < 0.65) {
      const moved = this.nextId++;
      open.tx.run({
        op: 'update',
        table: this.table,
        key: { id: String(id) },
        values: { id: String(moved) },
      });
      open.visible.delete(id);
      open.visible.add(moved);
      open.locked.add(moved);
    } else {
      const values: ModelRow = this.random.chance(0.5)
        ? { qty: String(this.random.int(1000)), name: this.name() }
        : { body: this.body() };
      open.tx.run({ op: 'update', table: this.table, key: { id: String(id) }, values });
    }
  }

  private end(open: OpenTransaction, commit: boolean): void {
    this.open.splice(this.open.indexOf(open), 1);
    if (!commit) {
      open.tx.rollback();
      return;
    }
    this.committed.push({ xid: open.tx.xid, scn: open.tx.commit() });
  }

  private row(id: number): ModelRow {
    return { id: String(id), name: this.name(), qty: String(this.random.int(1000)), body: this.body() };
  }

  /** A CLOB value: null, short (in the row) or long (written through its locator by LOB_WRITEs). */
  private body(): string | null {
    const kind = this.random.int(3);
    if (kind === 0) return null;
    const text = `${this.random.int(1_000_000)} ${this.name()}`;
    return kind === 1 ? text.slice(0, 20) : `${text} ${'lob '.repeat(10 + this.random.int(30))}`;
  }

  private name(): string {
    return this.random.pick(['plain', "O'Brien", 'ünï', 'comma, and ) paren', 'emoji 🚀', 'x'.repeat(150)]);
  }
}

function numberOrNull(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
