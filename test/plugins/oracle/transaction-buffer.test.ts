import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BufferedChange, LogMinerRow } from '../../../plugins/oracle/logminer/logminer-row.js';
import {
  type CommittedTransaction,
  TransactionBuffer,
} from '../../../plugins/oracle/logminer/transaction-buffer.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tx-buffer-test-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A V$LOGMNR_CONTENTS row; DML rows carry `insert … values ('<tag>')`. */
function row(
  scn: number | string,
  xid: string,
  operationCode: number,
  extra: Partial<LogMinerRow> & { tag?: string } = {},
): LogMinerRow {
  const { tag, ...rest } = extra;
  return {
    scn: String(scn),
    xid,
    operationCode,
    rollback: false,
    rowId: null,
    csf: false,
    sqlRedo: tag === undefined ? null : `insert into "S"."T"("A") values ('${tag}');`,
    segOwner: 'S',
    tableName: 'T',
    ...rest,
  };
}
const start = (scn: number, xid: string, time?: Date): LogMinerRow =>
  row(scn, xid, 6, time === undefined ? {} : { timestamp: time });
const commit = (scn: number | string, xid: string): LogMinerRow => row(scn, xid, 7);
const rollbackTx = (scn: number, xid: string): LogMinerRow => row(scn, xid, 36);
const dml = (scn: number, xid: string, tag: string, rowId = `R-${tag}`): LogMinerRow =>
  row(scn, xid, 1, { tag, rowId });
const undo = (scn: number, xid: string, rowId: string): LogMinerRow =>
  row(scn, xid, 2, { rollback: true, rowId, tag: 'undo' });

async function tags(transaction: CommittedTransaction): Promise<string[]> {
  const found: string[] = [];
  for await (const change of transaction.changes()) found.push(tagOf(change));
  return found;
}
const tagOf = (change: BufferedChange): string => /values \('([^']*)'\)/.exec(change.sqlRedo)?.[1] ?? '?';

function feed(buffer: TransactionBuffer, rows: readonly LogMinerRow[]): CommittedTransaction[] {
  const released: CommittedTransaction[] = [];
  for (const input of rows) released.push(...buffer.accept(input));
  released.push(...buffer.endWindow());
  return released;
}

describe('TransactionBuffer', () => {
  it('releases transactions at commit, in commit-SCN order, with their changes in redo order', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const released = feed(buffer, [
      start(10, 'A'),
      dml(11, 'A', 'a1'),
      start(12, 'B'),
      dml(13, 'B', 'b1'),
      dml(14, 'A', 'a2'),
      commit(15, 'B'),
      commit(16, 'A'),
    ]);
    expect(released.map((tx) => [tx.xid, tx.commitScn, tx.startScn, tx.changeCount])).toEqual([
      ['B', '15', '12', 1],
      ['A', '16', '10', 2],
    ]);
    expect(await tags(released[0] as CommittedTransaction)).toEqual(['b1']);
    expect(await tags(released[1] as CommittedTransaction)).toEqual(['a1', 'a2']);
    buffer.close();
  });

  it('gives each release the oldest start SCN among transactions still open as resume SCN', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const released = feed(buffer, [
      start(10, 'A'),
      dml(11, 'A', 'a'),
      start(12, 'B'),
      dml(13, 'B', 'b'),
      commit(15, 'B'),
      dml(16, 'A', 'a2'),
    ]);
    expect(released.map((tx) => [tx.xid, tx.resumeScn])).toEqual([['B', '10']]);
    expect(buffer.resumeScn()).toBe('10');
    const later = feed(buffer, [commit(20, 'A')]);
    expect(later.map((tx) => [tx.xid, tx.resumeScn])).toEqual([['A', '20']]);
    expect(buffer.resumeScn()).toBeNull();
    buffer.close();
  });

  it('releases transactions committing at one SCN in XID order once the SCN is complete', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    expect(buffer.accept(dml(5, '0B', 'b'))).toEqual([]);
    expect(buffer.accept(dml(6, '0A', 'a'))).toEqual([]);
    expect(buffer.accept(commit(9, '0B'))).toEqual([]);
    expect(buffer.accept(commit(9, '0A'))).toEqual([]);
    const released = buffer.accept(dml(10, '0C', 'c'));
    expect(released.map((tx) => [tx.xid, tx.commitScn, tx.resumeScn])).toEqual([
      ['0A', '9', '5'],
      ['0B', '9', '9'],
    ]);
    buffer.close();
  });

  it('drops a transaction that rolls back (op 36) and releases nothing for it', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const released = feed(buffer, [start(1, 'A'), dml(2, 'A', 'a'), rollbackTx(3, 'A'), commit(4, 'A')]);
    expect(released).toEqual([]);
    expect(buffer.openTransactions()).toEqual([]);
    buffer.close();
  });

  it('releases nothing for a transaction without changes but stops counting it as open', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    buffer.accept(start(1, 'A'));
    expect(buffer.resumeScn()).toBe('1');
    expect(feed(buffer, [commit(2, 'A')])).toEqual([]);
    expect(buffer.resumeScn()).toBeNull();
    buffer.close();
  });

  it('removes the latest change with the ROW_ID of a ROLLBACK=1 row (savepoint undo)', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const [tx] = feed(buffer, [
      dml(1, 'A', 'first', 'R1'),
      dml(2, 'A', 'other', 'R2'),
      dml(3, 'A', 'second', 'R1'),
      undo(4, 'A', 'R1'),
      dml(5, 'A', 'third', 'R3'),
      commit(6, 'A'),
    ]);
    expect(await tags(tx as CommittedTransaction)).toEqual(['first', 'other', 'third']);
    buffer.close();
  });

  it('undoes a whole savepoint latest first and ignores an undo row matching nothing', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const [tx] = feed(buffer, [
      dml(1, 'A', 'kept', 'R1'),
      dml(2, 'A', 's1', 'R2'),
      dml(3, 'A', 's2', 'R3'),
      undo(4, 'A', 'R3'),
      undo(5, 'A', 'R2'),
      undo(6, 'A', 'R9'),
      undo(6, 'B', 'R1'),
      commit(7, 'A'),
    ]);
    expect(await tags(tx as CommittedTransaction)).toEqual(['kept']);
    buffer.close();
  });

  it('keeps a transaction open across mining windows', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    expect(feed(buffer, [start(100, 'A'), dml(150, 'A', 'w1')])).toEqual([]);
    expect(buffer.openTransactions().map((tx) => [tx.xid, tx.startScn, tx.changeCount])).toEqual([
      ['A', '100', 1],
    ]);
    expect(feed(buffer, [dml(250, 'A', 'w2')])).toEqual([]);
    const [tx] = feed(buffer, [dml(350, 'A', 'w3'), commit(351, 'A')]);
    expect(tx?.startScn).toBe('100');
    expect(await tags(tx as CommittedTransaction)).toEqual(['w1', 'w2', 'w3']);
    buffer.close();
  });

  it('opens a transaction at its first change when its START was before the window', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    buffer.accept(dml(42, 'A', 'a'));
    expect(buffer.resumeScn()).toBe('42');
    buffer.close();
  });

  it('joins continuation rows before buffering', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const sql = `insert into "S"."T"("A") values ('it''s long');`;
    const cut = sql.indexOf("''") + 1;
    const [tx] = feed(buffer, [
      row(1, 'A', 1, { csf: true, sqlRedo: sql.slice(0, cut), rowId: 'R1' }),
      row(1, 'A', 1, { csf: false, sqlRedo: sql.slice(cut), rowId: 'R1' }),
      commit(2, 'A'),
    ]);
    const changes: BufferedChange[] = [];
    for await (const change of (tx as CommittedTransaction).changes()) changes.push(change);
    expect(changes.map((change) => change.sqlRedo)).toEqual([sql]);
    buffer.close();
  });

  it('reports transactions open longer than a limit by redo time and, once abandoned, ignores them to their end', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    feed(buffer, [
      start(1, 'OLD', new Date('2024-01-01T00:00:00Z')),
      dml(2, 'OLD', 'x'),
      start(3, 'NEW', new Date('2024-01-01T00:59:00Z')),
    ]);
    const abandoned = buffer.abandoned(30 * 60_000, new Date('2024-01-01T01:00:00Z'));
    expect(abandoned.map((tx) => [tx.xid, tx.startScn, tx.changeCount])).toEqual([['OLD', '1', 1]]);
    buffer.abandon('OLD');
    expect(buffer.resumeScn()).toBe('3');
    expect(feed(buffer, [dml(4, 'OLD', 'tail'), commit(5, 'OLD')])).toEqual([]);
    expect(buffer.resumeScn()).toBe('3');
    const [reused] = feed(buffer, [dml(6, 'OLD', 'again'), commit(7, 'OLD')]);
    expect(reused?.changeCount).toBe(1);
    buffer.close();
  });

  it('compares SCNs numerically, not as text', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    buffer.accept(dml(9, 'A', 'a'));
    buffer.accept(commit(9, 'A'));
    expect(buffer.accept(dml(10, 'B', 'b')).map((tx) => tx.xid)).toEqual(['A']);
    buffer.accept(dml(99_999_999_999, 'C', 'c'));
    expect(buffer.resumeScn()).toBe('10');
    buffer.close();
  });
});

describe('TransactionBuffer spilling to disk', () => {
  const spillFiles = (): string[] =>
    readdirSync(directory, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.spill'));

  it('spills past the row limit, replays in order, and applies undo rows to spilled changes', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory, spillAfterRows: 10 });
    const rows = Array.from({ length: 50 }, (_, index) => dml(index + 1, 'A', `c${index}`, `R${index % 7}`));
    feed(buffer, rows);
    expect(buffer.openTransactions()[0]?.spilled).toBe(true);
    expect(spillFiles()).toHaveLength(1);
    expect(buffer.memoryBytes).toBe(0);
    // undo the last change (R0 at index 49) and an older one (R3: its latest is index 45)
    feed(buffer, [undo(60, 'A', 'R0'), undo(61, 'A', 'R3')]);
    const [tx] = feed(buffer, [commit(70, 'A')]);
    expect(tx?.changeCount).toBe(48);
    const expected = Array.from({ length: 50 }, (_, index) => `c${index}`).filter(
      (tag) => tag !== 'c49' && tag !== 'c45',
    );
    expect(await tags(tx as CommittedTransaction)).toEqual(expected);
    expect(spillFiles()).toEqual([]);
    buffer.close();
  });

  it('undoes a large spilled savepoint latest first, shrinking the file as it goes', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory, spillAfterRows: 100 });
    const count = 20_000;
    for (let index = 0; index < count; index++) buffer.accept(dml(index + 1, 'A', `c${index}`, `R${index}`));
    for (let index = count - 1; index >= 10; index--) buffer.accept(undo(count + 1, 'A', `R${index}`));
    const [tx] = feed(buffer, [commit(count + 2, 'A')]);
    expect(await tags(tx as CommittedTransaction)).toEqual(
      Array.from({ length: 10 }, (_, index) => `c${index}`),
    );
    buffer.close();
  });

  it('spills the largest transaction when all together pass the memory limit', () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory, maxMemoryBytes: 20_000 });
    for (let index = 0; index < 40; index++) buffer.accept(dml(index + 1, 'BIG', `b${'x'.repeat(200)}`));
    for (let index = 0; index < 5; index++) buffer.accept(dml(100 + index, 'SMALL', 's'));
    const spilled = buffer.openTransactions().map((tx) => [tx.xid, tx.spilled]);
    expect(spilled).toEqual([
      ['BIG', true],
      ['SMALL', false],
    ]);
    expect(buffer.memoryBytes).toBeLessThan(20_000);
    buffer.close();
  });

  it('deletes the spill file on rollback, on discard, when replay stops early, and on close', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory, spillAfterRows: 2 });
    const many = (xid: string, from: number): LogMinerRow[] =>
      Array.from({ length: 5 }, (_, index) => dml(from + index, xid, `${xid}${index}`));
    feed(buffer, [...many('R', 1), ...many('D', 10), ...many('E', 20), ...many('O', 30)]);
    expect(spillFiles()).toHaveLength(4);
    feed(buffer, [rollbackTx(40, 'R')]);
    expect(spillFiles()).toHaveLength(3);
    const released = feed(buffer, [commit(41, 'D'), commit(42, 'E')]);
    (released[0] as CommittedTransaction).discard();
    expect(spillFiles()).toHaveLength(2);
    for await (const _change of (released[1] as CommittedTransaction).changes()) break;
    expect(spillFiles()).toHaveLength(1);
    buffer.close();
    expect(spillFiles()).toEqual([]);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('replays a 1,000,000-row transaction from disk with bounded heap growth and cleans up', async () => {
    const buffer = new TransactionBuffer({ spillDirectory: directory });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    buffer.accept(start(1, '0A00000000000001'));
    for (let index = 0; index < 1_000_000; index++) {
      buffer.accept({
        scn: String(1_000 + index),
        xid: '0A00000000000001',
        operationCode: 1,
        rollback: false,
        rowId: `AAAR4nAAHAAAACH${index}`,
        csf: false,
        sqlRedo: `insert into "S"."T"("ID","NOTE") values ('${index}','row ${index}');`,
        segOwner: 'S',
        tableName: 'T',
      });
      if (index % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const [tx] = feed(buffer, [commit(2_000_000, '0A00000000000001')]);
    expect(tx?.changeCount).toBe(1_000_000);
    expect(spillFiles()).toHaveLength(1);
    let count = 0;
    let ordered = true;
    for await (const change of (tx as CommittedTransaction).changes()) {
      if (change.scn !== String(1_000 + count)) ordered = false;
      count++;
      if (count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(1_000_000);
    expect(ordered).toBe(true);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    expect(spillFiles()).toEqual([]);
    buffer.close();
    expect(existsSync(directory)).toBe(true);
    expect(readdirSync(directory)).toEqual([]);
  }, 60_000);
});
