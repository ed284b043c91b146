import type { ConnectorRecord } from '../connectors/connector-record.js';
import type { ConnectorService } from '../connectors/connector-service.js';
import type { TargetDatabase } from '../target/target-database.js';
import type { ConnectorState, ConnectorStats } from './connector-state.js';
import type { StateStore } from './state-store.js';
import type { StatsStore } from './stats-store.js';

/** A connector with the state and stats read together with it. */
export interface ConnectorOverview extends ConnectorRecord {
  readonly seen: { readonly state: ConnectorState; readonly stats: ConnectorStats };
}

/**
 * Every connector with its state and stats, all read in one snapshot of the metadata: a connector
 * deleted (or added) while the list is read is either wholly in it or wholly absent, never a
 * record whose state has already gone.
 */
export function readConnectorOverview(
  db: TargetDatabase,
  stores: { readonly connectors: ConnectorService; readonly state: StateStore; readonly stats: StatsStore },
): Promise<ConnectorOverview[]> {
  return db.snapshot(async (client) => {
    const records = await stores.connectors.list(client);
    const states = await stores.state.all(client);
    const stats = await stores.stats.all(client);
    return records.flatMap((record) => {
      const state = states.get(record.name);
      const counters = stats.get(record.name);
      return state && counters ? [{ ...record, seen: { state, stats: counters } }] : [];
    });
  });
}
