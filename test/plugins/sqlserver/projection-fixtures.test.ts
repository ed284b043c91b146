import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Row, SourceTable } from '../../../core/plugin/index.js';
import { formatLsn } from '../../../plugins/sqlserver/offset.js';
import { projectColumn } from '../../../plugins/sqlserver/schema/projection.js';
import { CdcModel, type ModelRow } from '../../support/mssql-model/cdc-model.js';
import { openModelSource, readUntil } from './model-workload.js';
import { adminSession } from './real-server.js';

/**
 * What SQL Server answers to the plugin's projections for a table of every type SynchDB's type
 * tests use: test/fixtures/sqlserver/projections.json. The fake TDS server answers from it; with
 * RECORD_FIXTURES=1 and TEST_MSSQL_URL the file is re-recorded from the real server first.
 */
const FIXTURE = new URL('../../fixtures/sqlserver/projections.json', import.meta.url);

type Recorded = number | string | boolean | null | { $base64: string };
interface Fixture {
  recorded: string | null;
  note: string;
  columns: { name: string; type: string; literal: string }[];
  projected: Record<string, Recorded>;
}

const load = (): Fixture => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
const fromJson = (value: Recorded): ModelRow[string] =>
  value !== null && typeof value === 'object' ? Buffer.from(value.$base64, 'base64') : value;
const toJson = (value: unknown): Recorded =>
  Buffer.isBuffer(value) ? { $base64: value.toString('base64') } : (value as Recorded);

const url = process.env.TEST_MSSQL_URL;
const recording = process.env.RECORD_FIXTURES === '1' && url !== undefined;

/** Runs the plugin's projection of every fixture column on a temporary table of the real server. */
async function record(server: URL): Promise<void> {
  const fixture = load();
  const { connection, runner } = await adminSession(server, 'tempdb');
  try {
    const columns = fixture.columns.map((column) => `[${column.name}] ${column.type}`).join(', ');
    await runner.batch(`CREATE TABLE #types (${columns})`);
    await runner.batch(
      `INSERT INTO #types VALUES (${fixture.columns.map((column) => column.literal).join(', ')})`,
    );
    const sourceColumns = fixture.columns.map((column, index) => ({
      name: column.name,
      position: index + 1,
      type: /^\w+/.exec(column.type)?.[0] ?? column.type,
      length: null,
      precision: null,
      scale: null,
      nullable: true,
    }));
    const [row = {}] = await runner.query(
      `SELECT ${sourceColumns.map(projectColumn).join(', ')} FROM #types`,
    );
    const projected = Object.fromEntries(
      fixture.columns.map((column) => [column.name, toJson(row[column.name] ?? null)]),
    );
    const recorded = { ...fixture, recorded: new Date().toISOString(), projected };
    writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
  } finally {
    connection.close();
  }
}

/** The SourceValues the plugin must yield for the fixture row: exact text, base64 for spatial types. */
const EXPECTED: Row = {
  id: 1,
  amount: '12345678901234.5678',
  negative: '-0.12500000',
  cash: '922337203685477.5807',
  small_cash: '-214748.3648',
  big: '1234567890123456789',
  flag: true,
  ratio: 0.5,
  day: '2024-02-29',
  clock: '13:14:15.123456',
  at: '2024-02-29 23:59:59.1234567',
  legacy_at: '2024-02-29 23:59:59.997',
  zoned: '2024-01-02 03:04:05.1234567 +05:30',
  uid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
  code: 'ab ',
  note: 'caf\u00e9 \u2713',
  doc: '<a>1</a>',
  bytes: Buffer.from('01020000000000000000', 'hex'),
  place: 'AAAAAAEMAAAAAAAA8D8AAAAAAADwPw==',
};

describe.runIf(recording)('re-recording the projection fixture (RECORD_FIXTURES=1, TEST_MSSQL_URL)', () => {
  it('writes what the real server answers to the projections into the fixture', async () => {
    await record(new URL(url ?? ''));
    expect(load().recorded).not.toBeNull();
  });
});

describe('sqlserver projections answered as recorded in test/fixtures/sqlserver/projections.json', () => {
  it('yields the exact SourceValues in the snapshot and in the stream, equal to each other', async () => {
    const fixture = load();
    const model = new CdcModel();
    const table = model.createTable(
      'dbo',
      'types',
      fixture.columns.map((column) => ({
        name: column.name,
        type: column.type,
        nullable: column.name !== 'id',
      })),
      ['id'],
    );
    model.enableTable(table);
    const row = Object.fromEntries(
      Object.entries(fixture.projected).map(([name, value]) => [name, fromJson(value)]),
    );
    model.commit([{ op: 'insert', table, rows: [row] }]);
    await using source = await openModelSource(model);
    const [types] = (await source.connection.discover(['dbo.types'])) as [SourceTable];
    await using capture = await source.connection.startCapture([types]);
    const snapshot: Row[] = [];
    for await (const batch of capture.readTable(types, {
      batchSize: 10,
      signal: new AbortController().signal,
    }))
      snapshot.push(...batch);
    model.commit([{ op: 'insert', table, rows: [{ ...row, id: 2 }] }]);

    const events = await readUntil(
      source.connection,
      capture.startOffset,
      [types],
      formatLsn(model.lsn(model.logEnd)),
    );

    expect(snapshot).toEqual([EXPECTED]);
    expect(events.find((event) => event.kind === 'change')).toMatchObject({ after: { ...EXPECTED, id: 2 } });
  });
});
