import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import {
  type ConnectorState,
  type ConnectorStats,
  RUN_STATES,
  STAGES,
} from '../core/replication/connector-state.js';
import type { Services } from '../core/services.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';
import { SnapshotProgressRef } from './snapshot-progress.js';

export const StageEnum = enumFrom('Stage', STAGES);
export const RunStateEnum = enumFrom('RunState', RUN_STATES);

export const ConnectorStateRef = builder.objectRef<ConnectorState>('ConnectorState').implement({
  fields: (t) => ({
    stage: t.field({ type: StageEnum, resolve: (state) => state.stage }),
    state: t.field({ type: RunStateEnum, resolve: (state) => state.state }),
    error: t.exposeString('error', { nullable: true, description: 'Null when there is no error.' }),
    warning: t.exposeString('warning', {
      nullable: true,
      description:
        'A condition that needs attention while the connector runs (e.g. WAL its slot retains); null when there is none.',
    }),
    offset: t.exposeString('offset', {
      nullable: true,
      description: 'Last committed offset, as setOffset takes it; null before the first commit.',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** Statistics as the API shows them: live (see LiveStats), with the connector they belong to. */
export type ConnectorStatsOf = ConnectorStats & { readonly connector: string };

export const ConnectorStatsRef = builder.objectRef<ConnectorStatsOf>('ConnectorStats').implement({
  description:
    'Counters of the connector; the same live figures in the connector query and the connectorStats subscription.',
  fields: (t) => ({
    ddls: t.exposeInt('ddls'),
    dmls: t.exposeInt('dmls'),
    creates: t.exposeInt('creates'),
    updates: t.exposeInt('updates'),
    deletes: t.exposeInt('deletes'),
    truncates: t.exposeInt('truncates'),
    transactions: t.exposeInt('transactions'),
    badEvents: t.exposeInt('badEvents'),
    totalEvents: t.exposeInt('totalEvents'),
    batchesDone: t.exposeInt('batchesDone'),
    averageBatchSize: t.exposeFloat('averageBatchSize'),
    firstSourceTs: t.expose('firstSourceTs', { type: 'DateTime', nullable: true }),
    firstAppliedTs: t.expose('firstAppliedTs', { type: 'DateTime', nullable: true }),
    lastSourceTs: t.expose('lastSourceTs', { type: 'DateTime', nullable: true }),
    lastAppliedTs: t.expose('lastAppliedTs', { type: 'DateTime', nullable: true }),
    snapshotTables: t.exposeInt('snapshotTables'),
    snapshotRows: t.exposeInt('snapshotRows', {
      description:
        'Rows copied by snapshots, counting the table being copied as its rows are written (they commit with the table).',
    }),
    snapshotBeginTs: t.expose('snapshotBeginTs', { type: 'DateTime', nullable: true }),
    snapshotEndTs: t.expose('snapshotEndTs', { type: 'DateTime', nullable: true }),
    lagMs: t.exposeFloat('lagMs', {
      nullable: true,
      description: 'Source commit to applied, last batch; null when unknown.',
    }),
    snapshotProgress: t.field({
      type: SnapshotProgressRef,
      description:
        'Per-table snapshot progress with the table being copied, estimated total, rate and ETA; in the connectorStats subscription it updates at every interval while tables are copied.',
      resolve: (stats, _args, { services }) => services.liveStats.snapshotProgress(stats.connector),
    }),
  }),
});

const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 3_600_000;

/** Emits the connector's stats now and then every `intervalMs` until the client unsubscribes. */
async function* pollStats(
  services: Services,
  name: string,
  intervalMs: number,
): AsyncGenerator<ConnectorStatsOf> {
  for (;;) {
    const stats = await services.liveStats.connectorStats(name);
    if (!stats) throw new NotFoundError(`connector "${name}" was deleted`);
    yield { ...stats, connector: name };
    await sleep(intervalMs);
  }
}

builder.subscriptionField('connectorStats', (t) =>
  t.field({
    type: ConnectorStatsRef,
    description:
      "The connector's statistics, now and then every intervalMs: live, as the connector query shows them (snapshot rows and snapshotProgress move while a table is copied).",

    args: {
      name: t.arg.string({ required: true }),
      intervalMs: t.arg.int({ defaultValue: 1000 }),
    },
    subscribe: async (_root, { name, intervalMs }, { services }) => {
      const interval = intervalMs ?? 1000;
      if (interval < MIN_INTERVAL_MS || interval > MAX_INTERVAL_MS) {
        throw new InvalidInputError(`intervalMs must be between ${MIN_INTERVAL_MS} and ${MAX_INTERVAL_MS}`);
      }
      await services.connectors.require(name);
      return pollStats(services, name, interval);
    },
    resolve: (stats) => stats,
  }),
);
