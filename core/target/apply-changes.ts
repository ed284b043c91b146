import type pg from 'pg';
import { toPgText } from '../plugin/pg-text.js';
import type { Row, RowChange } from '../plugin/source-event.js';
import {
  assignedValue,
  deleteRows,
  deleteUnkeyed,
  insertRows,
  keyColumns,
  type Statement,
  updateRows,
  updateUnkeyed,
} from './change-statements.js';
import { hasTransforms, type TargetColumn, type TargetTable } from './target-table.js';

/** A row change on its way to its destination table. */
export interface PendingChange {
  readonly table: TargetTable;
  readonly change: RowChange;
}

/** A change that could not be applied: a bad event, handled by the connector's error strategy. */
export interface ApplyFailure {
  readonly pending: PendingChange;
  readonly reason: string;
}

type Kind = 'upsert' | 'update' | 'delete' | 'single';

/** Changes of one table and kind that one statement can apply. */
interface Group {
  readonly table: TargetTable;
  readonly kind: Kind;
  readonly columns: readonly TargetColumn[];
  readonly ops: PendingChange[];
}

const keyText = (table: TargetTable, row: Row | undefined) =>
  JSON.stringify(keyColumns(table).map((column) => toPgText(row?.[column.source])));

const keySourcesOf = new WeakMap<TargetTable, readonly string[]>();

/** The source names of the key columns, looked up once per table (this runs for every change). */
function keySources(table: TargetTable): readonly string[] {
  let sources = keySourcesOf.get(table);
  if (!sources) {
    sources = keyColumns(table).map((column) => column.source);
    keySourcesOf.set(table, sources);
  }
  return sources;
}

const part = (value: Row[string] | undefined) =>
  value === null || value === undefined ? '\u0000' : toPgText(value);

/** A change's key as a map key: the new key of an update takes changed key columns from `after`. */
function keyOf(sources: readonly string[], first: Row | undefined, second?: Row): string {
  let key = '';
  for (const source of sources) {
    const value = second && source in second ? second[source] : first?.[source];
    key += `${part(value)}\u0001`;
  }
  return key;
}

function describe(pending: PendingChange): { kind: Kind; columns: readonly TargetColumn[]; keys: string[] } {
  const { table, change } = pending;
  if (table.primaryKey.length === 0) {
    return change.op === 'insert'
      ? { kind: 'upsert', columns: table.columns, keys: [] }
      : { kind: 'single', columns: [], keys: [] };
  }
  const sources = keySources(table);
  if (change.op === 'insert')
    return { kind: 'upsert', columns: table.columns, keys: [keyOf(sources, change.after)] };
  if (change.op === 'delete') return { kind: 'delete', columns: [], keys: [keyOf(sources, change.before)] };
  const after = change.after ?? {};
  const complete = Object.keys(after).length === table.columns.length;
  const columns = complete ? table.columns : table.columns.filter((column) => column.source in after);
  const old = change.before ?? after;
  return { kind: 'update', columns, keys: [keyOf(sources, old), keyOf(sources, old, after)] };
}

const signatureOf = (kind: Kind, table: TargetTable, columns: readonly TargetColumn[]) =>
  columns === table.columns ? `${kind}:*` : `${kind}:${columns.map((column) => column.name).join('\u0000')}`;

/**
 * Splits changes into groups that one statement each can apply, keeping their effect. Changes of
 * different tables, and of different keys in one table, commute; so each table's changes are
 * placed in rounds where a change lands one round after the last change of any of its keys, and
 * every round applies each kind with one statement. Interleaved inserts, updates and deletes of
 * many rows thus cost a few statements, not one per change. Tables without a key keep their
 * order: consecutive changes of one kind share a statement.
 */
export function groupChanges(changes: readonly PendingChange[]): Group[] {
  const byTable = new Map<TargetTable, PendingChange[]>();
  for (const pending of changes) {
    const list = byTable.get(pending.table);
    if (list) list.push(pending);
    else byTable.set(pending.table, [pending]);
  }
  const groups: Group[] = [];
  for (const [table, ops] of byTable) {
    groups.push(...(table.primaryKey.length > 0 ? roundsOf(table, ops) : sequenceOf(table, ops)));
  }
  return groups;
}

function roundsOf(table: TargetTable, ops: readonly PendingChange[]): Group[] {
  const rounds: Map<string, Group>[] = [];
  const lastRound = new Map<string, number>();
  for (const pending of ops) {
    const { kind, columns, keys } = describe(pending);
    const round = Math.max(0, ...keys.map((key) => (lastRound.get(key) ?? -1) + 1));
    for (const key of keys) lastRound.set(key, round);
    const groupsOfRound = rounds[round] ?? new Map<string, Group>();
    rounds[round] = groupsOfRound;
    const signature = signatureOf(kind, table, columns);
    const group = groupsOfRound.get(signature) ?? { table, kind, columns, ops: [] };
    groupsOfRound.set(signature, group);
    group.ops.push(pending);
  }
  return rounds.flatMap((round) => [...round.values()]);
}

function sequenceOf(table: TargetTable, ops: readonly PendingChange[]): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  for (const pending of ops) {
    const { kind, columns } = describe(pending);
    if (!current || kind === 'single' || current.kind !== kind) {
      current = { table, kind, columns, ops: [] };
      groups.push(current);
    }
    current.ops.push(pending);
  }
  return groups;
}

function statementFor(group: Group): Statement {
  const { table, ops } = group;
  switch (group.kind) {
    case 'upsert':
      return insertRows(
        table,
        ops.map((op) => op.change.after ?? {}),
      );
    case 'delete':
      return deleteRows(
        table,
        ops.map((op) => op.change.before ?? {}),
      );
    case 'update':
      return updateRows(
        table,
        group.columns,
        ops.map((op) => op.change.before ?? op.change.after ?? {}),
        ops.map((op) => op.change.after ?? {}),
      );
    case 'single': {
      const change = ops[0]?.change;
      if (!change) throw new Error('empty group');
      return change.op === 'delete'
        ? deleteUnkeyed(table, change.before ?? {})
        : updateUnkeyed(table, change.before ?? {}, change.after ?? {});
    }
  }
}

function missingReason(pending: PendingChange): string {
  const { table, change } = pending;
  const key = table.primaryKey.length > 0 ? ` with key ${keyText(table, change.before ?? change.after)}` : '';
  return `${change.op.toUpperCase()} of a row missing at the destination ${table.schema}.${table.name}${key}`;
}

/** Runs one group; returns the changes whose row was missing (UPDATE/DELETE that matched nothing). */
async function runGroup(client: pg.ClientBase, group: Group): Promise<ApplyFailure[]> {
  const statement = statementFor(group);
  const result = await client.query<{ ord: number }>(statement.text, statement.values);
  if (group.kind === 'upsert' || result.rows.length === 0) return [];
  const missing = new Set(result.rows.map((row) => Number(row.ord)));
  return group.ops
    .filter((_, i) => missing.has(i))
    .map((pending) => ({ pending, reason: missingReason(pending) }));
}

/**
 * Applies row changes in order with one multi-row statement per group. UPDATE or DELETE of a row
 * missing at the destination is returned as a failure (a bad event), never silently ignored.
 *
 * With `isolate` false, a failing statement throws (the caller rolls back), except in a table with
 * TRANSFORM rules, whose failure is returned as the first bad change with the rule named. With
 * `isolate` true (the SKIP strategy), the changes run under a savepoint; when a statement fails,
 * its group is retried change by change so only the bad changes are returned as failures.
 */
export async function applyChanges(
  client: pg.ClientBase,
  changes: readonly PendingChange[],
  isolate: boolean,
): Promise<ApplyFailure[]> {
  const failures: ApplyFailure[] = [];
  for (const group of groupChanges(changes)) {
    if (isolate) failures.push(...(await runIsolated(client, group, false)));
    else if (hasTransforms(group.table)) failures.push(...(await runIsolated(client, group, true)));
    else failures.push(...(await runGroup(client, group)));
  }
  return failures;
}

/**
 * Runs a group under a savepoint; when it fails, runs its changes one by one to find the bad
 * ones (only the first with `firstOnly`).
 */
async function runIsolated(client: pg.ClientBase, group: Group, firstOnly: boolean): Promise<ApplyFailure[]> {
  const failed = await underSavepoint(client, () => runGroup(client, group));
  if (!(failed instanceof Error)) return failed;
  const [only] = group.ops;
  if (group.ops.length === 1 && only) return [{ pending: only, reason: await explain(client, only, failed) }];
  const failures: ApplyFailure[] = [];
  for (const pending of group.ops) {
    failures.push(...(await runIsolated(client, { ...group, ops: [pending] }, firstOnly)));
    if (firstOnly && failures.length > 0) break;
  }
  return failures;
}

/** Runs `work` under a savepoint; on failure rolls back to it and returns the error. */
async function underSavepoint<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T | Error> {
  await client.query('SAVEPOINT tributary_apply');
  try {
    const result = await work();
    await client.query('RELEASE SAVEPOINT tributary_apply');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT tributary_apply');
    await client.query('RELEASE SAVEPOINT tributary_apply');
    return error as Error;
  }
}

/** Why one change failed: the TRANSFORM rule that fails on its values, else the database's error. */
async function explain(client: pg.ClientBase, pending: PendingChange, error: Error): Promise<string> {
  const { table, change } = pending;
  for (const column of table.columns) {
    const raw = change.after?.[column.source] ?? change.before?.[column.source];
    if (!column.transform || raw === undefined || raw === null) continue;
    const input = toPgText(raw);
    const result = await underSavepoint(client, () =>
      client.query(`SELECT ${assignedValue(column, '$1::text')}`, [input]),
    );
    if (result instanceof Error) {
      return `TRANSFORM rule ${table.sourceName}.${column.source} (${column.transform}) failed on ${JSON.stringify(input)}: ${result.message}`;
    }
  }
  return `${describeTable(table)}: ${error.message}`;
}

const describeTable = (table: TargetTable) => `${table.schema}.${table.name}`;
