import { describe } from 'vitest';
import { describeChangeKinds } from './change-kinds.js';
import { describeChangeStream } from './change-stream.js';
import type { ContractOptions, ContractTarget } from './contract-target.js';
import { describeDiscovery } from './discovery.js';
import { describeHandoff } from './handoff.js';
import { describeHistory } from './history.js';
import { describePluginShape } from './plugin-shape.js';
import { describeSnapshot } from './snapshot.js';

/**
 * The shared source-plugin contract suite, exported as `tributary/testing`. Call it from a vitest
 * test file; it registers one `describe` block named `title`.
 *
 * `setup` runs once per test and must return a fresh, empty source (its own database or schema) with
 * a config that reaches it. Each test opens a connection under a new connector name and, when done,
 * drops that capture, closes the connection and disposes the source.
 *
 * @example
 * describeSourcePluginContract('memory plugin', async () => ({
 *   plugin: memoryPlugin,
 *   config: { host: 'localhost', port: 1, user: 'u', password: 'p', database: db.name },
 *   source: new MemoryContractSource(db),
 * }));
 */
export function describeSourcePluginContract(
  title: string,
  setup: () => Promise<ContractTarget>,
  options: ContractOptions = {},
): void {
  describe(title, () => {
    describePluginShape(setup);
    describeDiscovery(setup);
    describeSnapshot(setup);
    describeChangeStream(setup);
    describeChangeKinds(setup, options);
    describeHistory(setup, options);
    describeHandoff(setup);
  });
}

export { type ContractContext, ITEM_COLUMNS, openContract } from './contract-context.js';
export type {
  ContractColumn,
  ContractColumnType,
  ContractOptions,
  ContractSource,
  ContractStatement,
  ContractTarget,
} from './contract-target.js';
export { applyByKey } from './replica-model.js';
export { type SqlDialect, statementSql } from './statement-sql.js';
export { TransactionalContractSource } from './transactional-source.js';
