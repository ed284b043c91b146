import { builder } from './builder.js';
import { ConnectorRef } from './connector.js';
import { SnapshotModeEnum } from './source.js';
import { stateFeed } from './state-feed.js';

builder.mutationFields((t) => ({
  startConnector: t.field({
    type: ConnectorRef,
    description: 'Starts replication: snapshot per the mode, then change data capture.',
    args: {
      name: t.arg.string({ description: 'The connector to start.', required: true }),
      mode: t.arg({
        description: 'How to start (INITIAL when omitted).',
        type: SnapshotModeEnum,
        defaultValue: 'initial',
      }),
    },
    resolve: (_root, { name, mode }, { services }) => services.engine.start(name, mode ?? 'initial'),
  }),
  stopConnector: t.field({
    description: 'Stops the job and clears active; the position is kept for the next start.',
    type: ConnectorRef,
    args: { name: t.arg.string({ description: 'The connector to stop.', required: true }) },
    resolve: (_root, { name }, { services }) => services.engine.stop(name),
  }),
  pauseConnector: t.field({
    type: ConnectorRef,
    description: 'Stops applying changes and keeps the position; survives a server restart.',
    args: { name: t.arg.string({ description: 'The connector to pause.', required: true }) },
    resolve: (_root, { name }, { services }) => services.engine.pause(name),
  }),
  resumeConnector: t.field({
    description: 'Continues a paused connector from where it stopped applying changes.',
    type: ConnectorRef,
    args: { name: t.arg.string({ description: 'The connector to resume.', required: true }) },
    resolve: (_root, { name }, { services }) => services.engine.resume(name),
  }),
  restartConnector: t.field({
    type: ConnectorRef,
    description: 'Re-reads the settings and starts again in the given mode (INITIAL when omitted).',
    args: {
      name: t.arg.string({ description: 'The connector to restart.', required: true }),
      mode: t.arg({ description: 'How to start again (INITIAL when omitted).', type: SnapshotModeEnum }),
    },
    resolve: (_root, { name, mode }, { services }) => services.engine.restart(name, mode ?? 'initial'),
  }),
  reloadObjectMappings: t.field({
    type: ConnectorRef,
    description:
      'Applies the current mapping rules to the tables already built: renames and moves tables, renames columns, changes column types (USING a cast). A running connector resumes from its last commit afterwards.',
    args: { connector: t.arg.string({ description: 'The connector whose rules to apply.', required: true }) },
    resolve: (_root, { connector }, { services }) => services.engine.reloadMappings(connector),
  }),
  setOffset: t.field({
    type: ConnectorRef,
    description: 'Only while PAUSED: the stream resumes after this offset.',
    args: {
      name: t.arg.string({ description: 'The paused connector.', required: true }),
      offset: t.arg.string({
        description: "An offset in the source's format, as state.offset shows it.",
        required: true,
      }),
    },
    resolve: (_root, { name, offset }, { services }) => services.engine.setOffset(name, offset),
  }),
  resetStats: t.field({
    description: "Sets the connector's counters back to zero.",
    type: ConnectorRef,
    args: { name: t.arg.string({ description: 'The connector whose counters to reset.', required: true }) },
    resolve: (_root, { name }, { services }) => services.engine.resetStats(name),
  }),
}));

builder.subscriptionField('connectorStateChanged', (t) =>
  t.field({
    type: ConnectorRef,
    description:
      'The current state on subscribe, then every change of stage, state, error, warning, active or settings; of all connectors when no name is given. The same state is never sent twice in a row for a connector.',
    args: { name: t.arg.string({ description: 'The connector to follow; every connector when omitted.' }) },
    subscribe: async (_root, { name }, { services }) => {
      // An empty name names no connector (NOT_FOUND); only an omitted one means all of them.
      if (name !== null && name !== undefined) await services.connectors.require(name);
      return stateFeed(services, name ?? null);
    },
    resolve: (record) => record,
  }),
);
