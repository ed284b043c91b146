import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mysqlPlugin } from '../../plugins/mysql/index.js';
import type { ContractTarget } from '../contract/index.js';
import {
  createMysqlDatabase,
  MysqlContractSource,
  mysqlConfig,
} from '../plugins/mysql/mysql-contract-source.js';
import { type MariadbServer, startMariadb } from '../support/mariadb-server.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

const CDC = 'CHANGE_DATA_CAPTURE';

/** A fresh database on a server of this test's own (these tests change server-wide settings). */
const targetOn = (server: MariadbServer) => async (): Promise<ContractTarget> => {
  const database = await createMysqlDatabase('faults', server.url);
  return { plugin: mysqlPlugin, config: mysqlConfig(database), source: new MysqlContractSource(database) };
};

describe('MySQL source faults', () => {
  let statementServer: MariadbServer;
  let purgeServer: MariadbServer;

  beforeAll(async () => {
    [statementServer, purgeServer] = await Promise.all([
      startMariadb('statement', { binlog_format: 'STATEMENT' }),
      startMariadb('purge'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([statementServer?.stop(), purgeServer?.stop()]);
  });

  it('shows a failed check in the connector state with the statement that fixes it', async () => {
    await using h = await EngineHarness.open(inject('targetClusterUrl'), targetOn(statementServer));
    const table = await h.source.createTable('items', [{ name: 'id', type: 'integer' }], ['id']);
    await h.addConnector('stmt', { tables: [table] });
    await h.lifecycle('startConnector', 'stmt');

    const stopped = await waitFor('the connector to stop', async () => {
      const view = await h.view('stmt');
      return view.state.state === 'STOPPED' && view.state.error ? view : undefined;
    });

    expect(stopped.state.error).toMatch(/binlog_format: .*STATEMENT/);
    expect(stopped.state.error).toContain("SET GLOBAL binlog_format = 'ROW'");
  });

  it('reports purged binary logs as lost history, and with RETRY copies the tables again to end identical', async () => {
    await using h = await EngineHarness.open(inject('targetClusterUrl'), targetOn(purgeServer));
    const database = (h.source as MysqlContractSource).database;
    const table = await h.source.createTable(
      'items',
      [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
      ],
      ['id'],
    );
    await h.source.insert(table, [{ id: 1, name: 'before' }]);
    await h.addConnector('lost', { tables: [table], errorStrategy: 'RETRY' });
    await h.lifecycle('startConnector', 'lost');
    await h.waitForState('lost', CDC, 'POLLING');
    await h.lifecycle('stopConnector', 'lost');

    await h.source.insert(table, [{ id: 2, name: 'while stopped' }]);
    await database.query('FLUSH BINARY LOGS');
    await h.source.insert(table, [{ id: 3, name: 'after the flush' }]);
    const [current] = await database.query<{ File?: string; Log_name?: string }>('SHOW BINLOG STATUS');
    await waitFor('old binary logs to be purged', async () => {
      await database.query(`PURGE BINARY LOGS TO '${current?.File}'`);
      const logs = await database.query<{ Log_name: string }>('SHOW BINARY LOGS');
      return logs.length === 1 ? true : undefined;
    });

    await h.lifecycle('startConnector', 'lost');
    const failed = await waitFor('the lost history to be reported', async () => {
      const view = await h.view('lost');
      return view.state.error?.includes('a new snapshot is needed') ? view : undefined;
    });
    expect(failed.state.error).toMatch(/no longer on the server \(purged\)/);

    await h.waitForState('lost', CDC, 'POLLING', 60_000);
    await h.source.insert(table, [{ id: 4, name: 'after the new snapshot' }]);
    await h.waitForRows(table, [
      { id: 1, name: 'before' },
      { id: 2, name: 'while stopped' },
      { id: 3, name: 'after the flush' },
      { id: 4, name: 'after the new snapshot' },
    ]);
  }, 120_000);
});
