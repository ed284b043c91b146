import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogMinerModel } from '../../support/logminer-model/logminer-model.js';
import { memoryOf } from '../../support/process-memory.js';
import { connectModel, currentOffset } from './oracle-model.js';

/** Rows the one source transaction inserts, and the ceiling every source meets (large-transaction-scenario.ts). */
const ROWS = 1_000_000;
const RSS_GROWTH_LIMIT_MB = 300;

// Spill files go under os.tmpdir(): a private one for this file (forked worker), checked empty after.
const spillRoot = mkdtempSync(join(tmpdir(), 'oracle-large-tx-'));
process.env.TMPDIR = spillRoot;
afterAll(() => rmSync(spillRoot, { recursive: true, force: true }));

const row = (index: number) => ({
  ID: String(index + 1),
  AMOUNT: `${index + 1}.25`,
  NOTE: `note ${index.toString(16).padStart(8, '0')} ${'x'.repeat(40)}`,
  AT: '2026-01-01 00:00:00.123456000',
});

describe('one large Oracle transaction (LogMiner model, redo generated as mined)', () => {
  it(`streams a single ${ROWS.toLocaleString('en')}-row transaction across mining windows with the process RSS growing less than ${RSS_GROWTH_LIMIT_MB} MB, spilling to disk and removing the spill file`, async () => {
    const model = new LogMinerModel('DBZUSER');
    model.createTable(
      'BIG',
      [
        { name: 'ID', dataType: 'NUMBER', precision: 12, scale: 0, nullable: false },
        { name: 'AMOUNT', dataType: 'NUMBER', precision: 14, scale: 2, nullable: true },
        { name: 'NOTE', dataType: 'VARCHAR2', charLength: 100, nullable: true },
        { name: 'AT', dataType: 'TIMESTAMP(6)', nullable: true },
      ],
      ['ID'],
    );
    await using connection = await connectModel(model);
    const tables = await connection.discover(['DBZUSER.BIG']);
    const head = currentOffset(model);
    model.bulkInsert('BIG', ROWS, row);

    global.gc?.();
    const before = memoryOf(process.pid);
    let highest = before.rss;
    let count = 0;
    let inOrder = true;
    let spilled = false;
    const controller = new AbortController();
    for await (const event of connection.readChanges(head, { tables, signal: controller.signal })) {
      if (event.kind === 'checkpoint') {
        if (count === ROWS) break;
        continue;
      }
      if (event.kind !== 'change') continue;
      count++;
      if (event.after?.ID !== count) inOrder = false;
      if (count % 50_000 === 0) {
        highest = Math.max(highest, memoryOf(process.pid).rss);
        spilled ||= readdirSync(spillRoot, { recursive: true }).some((name) =>
          String(name).endsWith('.spill'),
        );
      }
      if (count === 1)
        expect(event.after).toEqual({
          ID: 1,
          AMOUNT: '1.25',
          NOTE: `note 00000000 ${'x'.repeat(40)}`,
          AT: '2026-01-01 00:00:00.123456',
        });
    }
    controller.abort();
    const { peak } = memoryOf(process.pid);
    console.log(
      `[oracle model] ${ROWS} rows streamed; RSS ${before.rss.toFixed(0)} MB before, ${highest.toFixed(0)} MB highest sampled, ${peak.toFixed(0)} MB peak (VmHWM)`,
    );
    expect(count).toBe(ROWS);
    expect(inOrder).toBe(true);
    expect(spilled).toBe(true);
    expect(highest - before.rss, 'RSS growth in MB').toBeLessThan(RSS_GROWTH_LIMIT_MB);
    expect(peak - before.rss, 'peak RSS growth in MB').toBeLessThan(RSS_GROWTH_LIMIT_MB);
    expect(
      readdirSync(spillRoot, { recursive: true }).filter((name) => String(name).endsWith('.spill')),
    ).toEqual([]);
  }, 300_000);
});
