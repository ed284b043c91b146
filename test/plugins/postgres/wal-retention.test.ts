import { describe, expect, inject, it } from 'vitest';
import type { SourceTable } from '../../../core/plugin/index.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';
import { formatBytes } from '../../../plugins/postgres/pgoutput/wal-retention.js';
import { EngineHarness } from '../../replication/engine-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { postgresContractTarget } from './postgres-contract-source.js';
import { postgresFixture } from './postgres-fixture.js';

describe('postgres WAL retention warning', () => {
  it('warns once the slot retains more WAL than the threshold, and not below it', async () => {
    await using fixture = await postgresFixture();
    await fixture.sql('CREATE TABLE a (id int PRIMARY KEY, pad text)');
    const strict = await fixture.connect({
      connectorName: 'walwarn',
      options: { walRetentionWarningBytes: 1 },
    });
    const [a] = (await strict.discover(['public.a'])) as [SourceTable];
    expect(await strict.health()).toBeNull();
    await (await strict.startCapture([a]))[Symbol.asyncDispose]();
    await fixture.sql("INSERT INTO a SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g");

    const warning = await strict.health();
    expect(warning).toMatch(
      /^replication slot tributary_walwarn retains \d+(\.\d)? (bytes|kB|MiB) of WAL \(warning threshold options\.walRetentionWarningBytes = 1 bytes; wal_status reserved; .*\)\. The source keeps this WAL until Tributary has applied it/,
    );
    const relaxed = await fixture.connect({ connectorName: 'walwarn' });
    expect(await relaxed.health()).toBeNull();
  });

  it('shows the warning in the running connector state', async () => {
    await using h = await EngineHarness.open(inject('targetClusterUrl'), async () => {
      const target = await postgresContractTarget();
      const options = { ...(target.config.options as object), walRetentionWarningBytes: 1 };
      return { ...target, config: { ...target.config, options } };
    });
    const table = await h.source.createTable('t', [{ name: 'id', type: 'integer' }], ['id']);
    await h.addConnector('w1', { tables: [table] });
    await h.lifecycle('startConnector', 'w1');
    await h.waitForState('w1', 'CHANGE_DATA_CAPTURE', 'POLLING');
    const warning = await waitFor('the WAL warning', async () => {
      const { connector } = await h.graphql<{ connector: { state: { warning: string | null } } }>(
        '{ connector(name: "w1") { state { warning } } }',
      );
      return connector.state.warning ?? undefined;
    });
    expect(warning).toMatch(/^replication slot tributary_w1 retains .* of WAL/);
  });

  it('refuses a threshold below one byte and defaults to 1 GiB', () => {
    const base = { host: 'h', port: 5432, user: 'u', password: 'p', database: 'd' };
    expect(postgresPlugin.configSchema.parse(base).options.walRetentionWarningBytes).toBe(1024 ** 3);
    expect(() =>
      postgresPlugin.configSchema.parse({ ...base, options: { walRetentionWarningBytes: 0 } }),
    ).toThrow(/walRetentionWarningBytes must be at least 1/);
  });

  it.each([
    [512, '512 bytes'],
    [2048, '2.0 kB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
  ])('writes %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
