import { describe, expect, it } from 'vitest';
import type { Checkpoint, SourceEvent } from '../../../core/plugin/index.js';
import { connectMysql } from '../../../plugins/mysql/connection.js';
import { mysqlPlugin, parseOffset } from '../../../plugins/mysql/index.js';
import { captureOffset } from '../../support/capture-offset.js';
import { createMysqlDatabase, mysqlConfig } from './mysql-contract-source.js';

const silent = { debug() {}, info() {}, warn() {} };

describe('mysql heartbeats', () => {
  it('moves the offset of an idle source onto a new binary log file, so the old one can be purged', async () => {
    await using database = await createMysqlDatabase('heartbeat');
    const controller = new AbortController();
    const config = mysqlPlugin.configSchema.parse(mysqlConfig(database, { heartbeatIntervalMs: 200 }));
    await using connection = await connectMysql(config, {
      connectorName: 'heartbeat',
      log: silent,
      signal: controller.signal,
    });
    const from = await captureOffset(connection);
    await database.query('FLUSH BINARY LOGS');

    const seen: SourceEvent[] = [];
    const timer = setTimeout(() => controller.abort(), 10_000);
    for await (const event of connection.readChanges(from, { tables: [], signal: controller.signal })) {
      seen.push(event);
      if (event.kind === 'checkpoint' && parseOffset(event.offset).file !== parseOffset(from).file) break;
    }
    clearTimeout(timer);

    const checkpoints = seen.filter((event): event is Checkpoint => event.kind === 'checkpoint');
    expect(seen.filter((event) => event.kind !== 'checkpoint')).toEqual([]);
    expect((checkpoints.at(-1)?.offset ?? '') > from).toBe(true);
    expect(parseOffset(checkpoints.at(-1)?.offset ?? from).file > parseOffset(from).file).toBe(true);
  });
});
