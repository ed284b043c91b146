import { Request } from 'tedious';
import { describe, expect, it } from 'vitest';
import type { SourceTable } from '../../../core/plugin/index.js';
import { CAPTURE_STALL_MS, CaptureHealth } from '../../../plugins/sqlserver/cdc/capture-health.js';
import { queryRunner } from '../../../plugins/sqlserver/client/sql.js';
import { formatLsn } from '../../../plugins/sqlserver/offset.js';
import { startFakeTds } from '../../support/fake-tds/fake-tds-server.js';
import { connectTedious } from '../../support/fake-tds/tedious-client.js';
import { CdcModel, type ModelTable } from '../../support/mssql-model/cdc-model.js';
import { modelHandler } from '../../support/mssql-model/model-handler.js';
import { openModelSource, workloadTables } from './model-workload.js';

/** CaptureHealth on a real tedious session to the fake TDS server over `model`, with a clock to move. */
async function healthOf(model: CdcModel) {
  const fake = await startFakeTds({ handler: modelHandler(model) });
  const { connection } = await connectTedious(fake.port);
  const clock = { now: 1_000_000 };
  const health = new CaptureHealth(queryRunner(connection, Request, 5000), () => clock.now);
  return {
    health,
    clock,
    async [Symbol.asyncDispose]() {
      connection.close();
      await fake.close();
    },
  };
}

describe('sqlserver capture health over the CDC model', () => {
  it('warns that the capture job never ran when fn_cdc_get_max_lsn() is NULL', async () => {
    const model = new CdcModel();
    model.agentRunning = false;
    await using h = await healthOf(model);

    expect(await h.health.warning(undefined)).toMatch(/never harvested the log .*SQL Server Agent/);
  });

  it('warns when the harvest stands still while the log grows, and not while the database is idle', async () => {
    const model = new CdcModel();
    const [table] = workloadTables(model) as [ModelTable];
    model.commit([{ op: 'insert', table, rows: [{ id: 1 }] }]);
    await using h = await healthOf(model);
    expect(await h.health.warning(undefined)).toBeNull();
    h.clock.now += 2 * CAPTURE_STALL_MS;
    expect(await h.health.warning(undefined)).toBeNull();

    model.agentRunning = false;
    model.commit([{ op: 'insert', table, rows: [{ id: 2 }] }]);
    expect(await h.health.warning(undefined)).toBeNull();
    h.clock.now += CAPTURE_STALL_MS - 1000;
    expect(await h.health.warning(undefined)).toBeNull();
    h.clock.now += 1000;
    expect(await h.health.warning(undefined)).toMatch(/harvested nothing for 5 min while the log grew/);

    model.agentRunning = true;
    expect(await h.health.warning(undefined)).toBeNull();
  });

  it('warns when the acknowledged position is older than 80 % of the cleanup retention', async () => {
    const model = new CdcModel();
    const [table] = workloadTables(model) as [ModelTable];
    const lsn = model.commit([{ op: 'insert', table, rows: [{ id: 1 }] }]);
    model.retentionMinutes = 100;
    await using h = await healthOf(model);
    const position = formatLsn(model.lsn(lsn));
    expect(await h.health.warning(position)).toBeNull();

    model.advanceClock(79 * 60_000);
    expect(await h.health.warning(position)).toBeNull();
    model.advanceClock(60_000);
    expect(await h.health.warning(position)).toMatch(
      /position .* is 80 min old and the CDC cleanup job deletes changes after 100 min: .*sp_cdc_change_job/,
    );
  });

  it('reports the warning through the connection for the acknowledged offset', async () => {
    const model = new CdcModel();
    const [table] = workloadTables(model) as [ModelTable];
    const lsn = model.commit([{ op: 'insert', table, rows: [{ id: 1 }] }]);
    model.retentionMinutes = 10;
    await using source = await openModelSource(model);
    expect(await source.connection.health?.()).toBeNull();
    await source.connection.ack(formatLsn(model.lsn(lsn)));
    model.advanceClock(9 * 60_000);

    expect(await source.connection.health?.()).toMatch(/cleanup job deletes changes after 10 min/);
  });
});

describe('sqlserver row estimates', () => {
  it('estimates each table from sys.partitions, in the order given, null for an unknown table', async () => {
    const model = new CdcModel();
    const [a, b] = workloadTables(model) as [ModelTable, ModelTable];
    model.commit([
      { op: 'insert', table: a, rows: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      { op: 'insert', table: b, rows: [{ id: 1 }] },
    ]);
    await using source = await openModelSource(model);
    const tables = await source.connection.discover(['dbo.b', 'dbo.a']);
    const [first] = tables as [SourceTable];
    const gone = { ...first, ref: { ...first.ref, name: 'gone' } };

    expect(await source.connection.estimateRows?.([...tables, gone])).toEqual([1, 3, null]);
  });
});
