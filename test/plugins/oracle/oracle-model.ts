import type { ConnectContext, SourceConnection } from '../../../core/plugin/index.js';
import { createOraclePlugin, formatOffset } from '../../../plugins/oracle/index.js';
import { LogMinerModel } from '../../support/logminer-model/logminer-model.js';
import { ModelSession } from '../../support/logminer-model/model-session.js';

export const quiet: ConnectContext['log'] = { debug() {}, info() {}, warn() {} };

/** The Oracle plugin over sessions on `model`. */
export function modelPlugin(model: LogMinerModel) {
  return createOraclePlugin(async () => new ModelSession(model));
}

/** SynchDB's quick-start settings (FREE, c##dbzuser, DBZUSER). */
export const QUICK_START = {
  host: 'oracle.invalid',
  port: 1521,
  user: 'c##dbzuser',
  password: 'dbz',
  database: 'FREE',
  schema: 'DBZUSER',
  options: { pollIntervalMs: 10 },
};

/** A connection of the model-backed plugin with SynchDB's quick-start settings. */
export async function connectModel(model: LogMinerModel): Promise<SourceConnection> {
  const plugin = modelPlugin(model);
  const config = plugin.configSchema.parse(QUICK_START);
  return plugin.connect(config, {
    connectorName: 'oracleconn',
    log: quiet,
    signal: new AbortController().signal,
  });
}

/** The model's current position, as the plugin spells an offset at the current SCN. */
export function currentOffset(model: LogMinerModel): string {
  const scn = String(model.scn);
  return formatOffset({ scn, resumeScn: scn });
}

/** SynchDB's DBZUSER.ORDERS with its four rows (10001–10004). */
export function quickStartModel(): LogMinerModel {
  const model = new LogMinerModel('DBZUSER');
  model.createTable(
    'ORDERS',
    [
      { name: 'ORDER_NUMBER', dataType: 'NUMBER', nullable: false },
      { name: 'ORDER_DATE', dataType: 'DATE', nullable: true },
      { name: 'PURCHASER', dataType: 'VARCHAR2', charLength: 40, nullable: true },
      { name: 'QUANTITY', dataType: 'NUMBER', nullable: true },
      { name: 'PRODUCT_ID', dataType: 'NUMBER', nullable: true },
    ],
    ['ORDER_NUMBER'],
  );
  model.commit(
    [
      ['10001', '2024-01-16 00:00:00', '1001', '1', '102'],
      ['10002', '2024-01-17 00:00:00', '1002', '2', '105'],
      ['10003', '2024-02-19 00:00:00', '1002', '2', '106'],
      ['10004', '2024-02-21 00:00:00', '1003', '1', '107'],
    ].map(([ORDER_NUMBER, ORDER_DATE, PURCHASER, QUANTITY, PRODUCT_ID]) => ({
      op: 'insert' as const,
      table: 'ORDERS',
      row: {
        ORDER_NUMBER: ORDER_NUMBER ?? null,
        ORDER_DATE: ORDER_DATE ?? null,
        PURCHASER: PURCHASER ?? null,
        QUANTITY: QUANTITY ?? null,
        PRODUCT_ID: PRODUCT_ID ?? null,
      },
    })),
  );
  return model;
}
