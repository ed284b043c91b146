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

export const StageEnum = enumFrom(
  'Stage',
  STAGES,
  'Where a connector is in its life: copying, streaming or waiting for a schema review.',
  {
    initial_snapshot: 'Copying the tables (or creating them empty, NO_DATA).',
    change_data_capture: 'Streaming changes from the source.',
    schema_sync: 'Tables created by SCHEMASYNC, paused for review of their attributes.',
  },
);
export const RunStateEnum = enumFrom(
  'RunState',
  RUN_STATES,
  "What a connector's job is doing now (SynchDB's run states).",
  {
    stopped: 'Not running.',
    initializing: 'Connecting to the source and checking its prerequisites.',
    polling: 'Running: copying tables or waiting for and applying changes.',
    paused: 'Stopped applying changes, keeping its position (resumeConnector continues).',
    parsing: 'Reading source events.',
    converting: 'Converting source events to destination rows.',
    executing: 'Writing to the destination.',
    updating_offset: 'Moving to an offset given by setOffset.',
    restarting: 'Failed and waiting to retry (error says why).',
    schema_sync_done: 'Tables created by SCHEMASYNC; waiting for resume or restart.',
    reloading_objmap: 'Applying changed mapping rules to the destination tables (reloadObjectMappings).',
  },
);

export const ConnectorStateRef = builder.objectRef<ConnectorState>('ConnectorState').implement({
  description: 'Where a connector is and what it is doing, as of updatedAt.',
  fields: (t) => ({
    stage: t.field({
      description: 'Snapshot, change data capture or schema sync.',
      type: StageEnum,
      resolve: (state) => state.stage,
    }),
    state: t.field({
      description: 'What the job is doing now.',
      type: RunStateEnum,
      resolve: (state) => state.state,
    }),
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
    updatedAt: t.expose('updatedAt', {
      description: 'When stage, state, error, warning or offset last changed.',
      type: 'DateTime',
    }),
  }),
});

/** Statistics as the API shows them: live (see LiveStats), with the connector they belong to. */
export type ConnectorStatsOf = ConnectorStats & { readonly connector: string };

export const ConnectorStatsRef = builder.objectRef<ConnectorStatsOf>('ConnectorStats').implement({
  description:
    'Counters of the connector; the same live figures in the connector query and the connectorStats subscription.',
  fields: (t) => ({
    ddls: t.exposeInt('ddls', { description: 'Schema changes applied while streaming.' }),
    dmls: t.exposeInt('dmls', {
      description: 'Row changes applied while streaming (creates + updates + deletes + truncates).',
    }),
    creates: t.exposeInt('creates', { description: 'Rows inserted while streaming.' }),
    updates: t.exposeInt('updates', { description: 'Rows updated while streaming.' }),
    deletes: t.exposeInt('deletes', { description: 'Rows deleted while streaming.' }),
    truncates: t.exposeInt('truncates', { description: 'Tables truncated while streaming.' }),
    transactions: t.exposeInt('transactions', { description: 'Source transactions applied.' }),
    badEvents: t.exposeInt('badEvents', {
      description: 'Events that could not be applied (set aside under SKIP).',
    }),
    totalEvents: t.exposeInt('totalEvents', { description: 'Source events read while streaming.' }),
    batchesDone: t.exposeInt('batchesDone', { description: 'Streaming batches committed.' }),
    averageBatchSize: t.exposeFloat('averageBatchSize', {
      description: 'Events per committed batch, on average.',
    }),
    firstSourceTs: t.expose('firstSourceTs', {
      description: "Source commit time of the last batch's first event.",
      type: 'DateTime',
      nullable: true,
    }),
    firstAppliedTs: t.expose('firstAppliedTs', {
      description: 'When the last batch started to be applied.',
      type: 'DateTime',
      nullable: true,
    }),
    lastSourceTs: t.expose('lastSourceTs', {
      description: "Source commit time of the last batch's newest event.",
      type: 'DateTime',
      nullable: true,
    }),
    lastAppliedTs: t.expose('lastAppliedTs', {
      description: 'When the last batch was committed.',
      type: 'DateTime',
      nullable: true,
    }),
    snapshotTables: t.exposeInt('snapshotTables', { description: 'Tables whose snapshot copy committed.' }),
    snapshotRows: t.exposeInt('snapshotRows', {
      description:
        'Rows copied by snapshots, counting the table being copied as its rows are written (they commit with the table).',
    }),
    snapshotBeginTs: t.expose('snapshotBeginTs', {
      description: 'When the last snapshot began; null when there was none.',
      type: 'DateTime',
      nullable: true,
    }),
    snapshotEndTs: t.expose('snapshotEndTs', {
      description: 'When the last snapshot ended; null while it runs or when there was none.',
      type: 'DateTime',
      nullable: true,
    }),
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
      name: t.arg.string({ description: 'The connector to follow.', required: true }),
      intervalMs: t.arg.int({
        description: 'Milliseconds between payloads, 100 to 3600000.',
        defaultValue: 1000,
      }),
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
