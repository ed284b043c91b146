import { CHANGE_OPS } from '../core/replication/change-feed.js';
import type {
  AppliedChange,
  AppliedColumn,
  AppliedSchemaChange,
} from '../core/replication/connector-events.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';
import { eventStream } from './event-stream.js';
import { feedRow } from './feed-value.js';

export const ChangeOpEnum = enumFrom('ChangeOp', CHANGE_OPS, 'The kind of a change in the changes feed.', {
  insert: 'A row inserted (after holds it).',
  update: 'A row updated (before, when the source tells, and after).',
  delete: 'A row deleted (before holds what the source tells of it, at least its key).',
  truncate: 'A table emptied.',
  ddl: "A table created, altered, renamed or dropped at the source (ddl holds the table's new shape).",
});

const SchemaChangeColumnRef = builder.objectRef<AppliedColumn>('SchemaChangeColumn').implement({
  description: 'A column of a destination table as it is after a schema change.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The destination column name.' }),
    sourceName: t.exposeString('sourceName', { description: 'The source column it replicates.' }),
    type: t.exposeString('type', {
      description: 'The PostgreSQL type, as written in DDL (`numeric(12,2)`).',
    }),
    nullable: t.exposeBoolean('nullable', { description: 'Whether the column accepts NULL.' }),
  }),
});

const SchemaChangeEventRef = builder.objectRef<AppliedSchemaChange>('SchemaChangeEvent').implement({
  description: 'What a source DDL statement did to a replicated table.',
  fields: (t) => ({
    action: t.exposeString('action', { description: 'create, alter, drop or rename.' }),
    statement: t.exposeString('statement', {
      nullable: true,
      description:
        'The statement, or its command tag (ALTER TABLE), as the source logged it; null when the source does not tell.',
    }),
    columns: t.field({
      type: [SchemaChangeColumnRef],
      description: "The destination table's columns after the change (its new shape); empty after a drop.",
      resolve: (ddl) => [...ddl.columns],
    }),
  }),
});

const ChangeEventRef = builder.objectRef<AppliedChange>('ChangeEvent').implement({
  description:
    'A change applied to the destination (published after its transaction commits). Row values in ' +
    'before/after are JSON: binary values as base64 strings, 64-bit integers (bigint) as decimal ' +
    'strings, instants as ISO-8601 strings.',
  fields: (t) => ({
    connector: t.exposeString('connector', { description: 'The connector that applied it.' }),
    op: t.field({
      type: ChangeOpEnum,
      description: 'What happened: a row inserted, updated or deleted, a table truncated, or DDL (see ddl).',
      resolve: (change) => change.op,
    }),
    sourceTable: t.exposeString('sourceTable', { description: 'The source table, fully qualified.' }),
    destinationTable: t.exposeString('destinationTable', {
      description: 'The destination table, as schema.table.',
    }),
    before: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The row before an update or delete (as far as the source tells); null otherwise.',
      resolve: (change) => feedRow(change.before),
    }),
    after: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The row after an insert or update; null otherwise.',
      resolve: (change) => feedRow(change.after),
    }),
    sourceTs: t.expose('sourceTs', {
      type: 'DateTime',
      nullable: true,
      description: 'When the source committed it; null when the source does not tell.',
    }),
    offset: t.exposeString('offset', {
      nullable: true,
      description: 'The offset of the commit that applied it.',
    }),
    ddl: t.field({
      type: SchemaChangeEventRef,
      nullable: true,
      description: "For op DDL: the action, the statement and the table's new shape; null otherwise.",
      resolve: (change) => change.ddl ?? null,
    }),
  }),
});

builder.subscriptionField('changes', (t) =>
  t.field({
    type: ChangeEventRef,
    description:
      'Live feed of applied changes and schema changes (op DDL); limited to the given source tables when set.',
    args: {
      connector: t.arg.string({ required: true, description: 'The connector to follow.' }),
      tables: t.arg.stringList({ description: 'Source tables (fully qualified) to follow; all when unset.' }),
    },
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
