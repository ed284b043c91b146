import { CHANGE_OPS } from '../core/replication/change-feed.js';
import type { AppliedChange } from '../core/replication/connector-events.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';
import { eventStream } from './event-stream.js';

export const ChangeOpEnum = enumFrom('ChangeOp', CHANGE_OPS);

const ChangeEventRef = builder.objectRef<AppliedChange>('ChangeEvent').implement({
  description: 'A change applied to the destination (published after its transaction commits).',
  fields: (t) => ({
    connector: t.exposeString('connector'),
    op: t.field({ type: ChangeOpEnum, resolve: (change) => change.op }),
    sourceTable: t.exposeString('sourceTable'),
    destinationTable: t.exposeString('destinationTable'),
    before: t.field({ type: 'JSON', nullable: true, resolve: (change) => change.before }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (change) => change.after }),
    sourceTs: t.expose('sourceTs', { type: 'DateTime', nullable: true }),
    offset: t.exposeString('offset', { nullable: true }),
  }),
});

builder.subscriptionField('changes', (t) =>
  t.field({
    type: ChangeEventRef,
    description: 'Live feed of applied changes; limited to the given source tables when set.',
    args: { connector: t.arg.string({ required: true }), tables: t.arg.stringList() },
    subscribe: async (_root, { connector, tables }, { services }) => {
      await services.connectors.require(connector);
      return eventStream<AppliedChange>((push) =>
        services.events.on('change', (change) => {
          if (change.connector === connector && (!tables || tables.includes(change.sourceTable)))
            push(change);
        }),
      );
    },
    resolve: (change) => change,
  }),
);
