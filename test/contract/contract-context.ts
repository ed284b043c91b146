import { randomUUID } from 'node:crypto';
import type { SourceConnection, SourcePlugin, SourceTable } from '../../core/plugin/index.js';
import { qualifiedName } from '../../core/plugin/kit.js';
import type { ContractColumn, ContractSource, ContractTarget } from './contract-target.js';

/**
 * One test's view of a target: a fresh source and an open connection to it under a new connector
 * name. Disposing it ends the connection's streams, drops the capture, closes the connection and
 * disposes the source, in that order, even when a step fails.
 */
export interface ContractContext extends AsyncDisposable {
  readonly plugin: SourcePlugin;
  /** The target's settings as entered, before parsing. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly source: ContractSource;
  readonly connection: SourceConnection;
  readonly connectorName: string;
  /** Aborted when the context is disposed. */
  readonly signal: AbortSignal;
  /** Creates a table at the source and returns it as the connection discovers it. */
  createTable(
    name: string,
    columns: readonly ContractColumn[],
    primaryKey: readonly string[],
  ): Promise<SourceTable>;
}

const silentLog = { debug() {}, info() {}, warn() {} };

/** The two-column table most tests use: `id integer` primary key and `name text`. */
export const ITEM_COLUMNS: readonly ContractColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'text' },
];

export async function openContract(setup: () => Promise<ContractTarget>): Promise<ContractContext> {
  const target = await setup();
  const controller = new AbortController();
  const connectorName = `contract_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  let connection: SourceConnection | undefined;
  try {
    const config = target.plugin.configSchema.parse(target.config);
    connection = await target.plugin.connect(config, {
      connectorName,
      log: silentLog,
      signal: controller.signal,
    });
    return contextFor(target, connection, connectorName, controller);
  } catch (error) {
    controller.abort();
    await connection?.close();
    await target.source[Symbol.asyncDispose]();
    throw error;
  }
}

function contextFor(
  target: ContractTarget,
  connection: SourceConnection,
  connectorName: string,
  controller: AbortController,
): ContractContext {
  return {
    plugin: target.plugin,
    config: target.config,
    source: target.source,
    connection,
    connectorName,
    signal: controller.signal,
    async createTable(name, columns, primaryKey) {
      const ref = await target.source.createTable(name, columns, primaryKey);
      const [table] = await connection.discover([qualifiedName(ref)]);
      if (table === undefined) {
        throw new Error(`discover() does not find the new table ${qualifiedName(ref)}`);
      }
      return table;
    },
    async [Symbol.asyncDispose]() {
      controller.abort();
      const steps = [
        () => connection.dropCapture(),
        () => connection.close(),
        () => target.source[Symbol.asyncDispose](),
      ];
      const failures: unknown[] = [];
      for (const step of steps) await step().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw new AggregateError(failures, 'contract context cleanup failed');
    },
  };
}
