import { translateDataType } from '../core/mappings/translate-data-type.js';
import { SNAPSHOT_MODES, type SourcePlugin } from '../core/plugin/source-plugin.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';

export const SnapshotModeEnum = enumFrom(
  'SnapshotMode',
  SNAPSHOT_MODES,
  'What a start copies before change data capture, if anything; see docs/api.md, Snapshot modes.',
  {
    initial: 'Copy the tables never copied, then stream changes (the default).',
    initial_only: 'Copy as INITIAL, then stop.',
    no_data: 'Create the tables empty, then stream changes.',
    never: 'No snapshot: the destination tables must exist; stream changes.',
    always: 'Copy snapshotTables (or every table) again, keeping the others; then stream changes.',
    schemasync: 'Create the tables, then pause in stage SCHEMA_SYNC to review attributes.',
  },
);

const SourceTypeRef = builder.objectRef<SourcePlugin>('SourceType').implement({
  description: 'One registered source plugin, built-in or third-party.',
  fields: (t) => ({
    id: t.string({
      description: 'The plugin id a connector names as its type (`postgres`, `mysql`, ...).',
      resolve: (plugin) => plugin.kind,
    }),
    title: t.exposeString('title', { description: 'A human name for the source type.' }),
    snapshotModes: t.field({
      description: 'The snapshot modes this source supports.',
      type: [SnapshotModeEnum],
      resolve: (plugin) => [...plugin.snapshotModes],
    }),
    capturesSchemaChanges: t.boolean({
      description:
        "Whether the change stream carries schema changes (the plugin's `capabilities.schemaChanges`), applied at the destination before the rows that need them; false: a table's shape is read when the connector starts.",
      resolve: (plugin) => plugin.capabilities.schemaChanges === 'streamed',
    }),
  }),
});

builder.queryField('sourceTypes', (t) =>
  t.field({
    description: 'The source types this server can replicate from.',
    type: [SourceTypeRef],
    resolve: (_root, _args, { services }) => services.sources.list(),
  }),
);

builder.queryField('translateDataType', (t) =>
  t.string({
    description:
      'The PostgreSQL type a connector of `sourceType` creates for a source column of `type` when no mapping rule overrides it. ' +
      '`type` is the name without size (`varchar`, `int unsigned`); `|true` marks an auto-increment column (`int|true`). ' +
      'Zero or negative sizes mean "not given"; a length of 2^31-1 means unbounded.',
    args: {
      sourceType: t.arg.string({
        required: true,
        description: 'A source kind from `sourceTypes` (`mysql`, `postgres`).',
      }),
      type: t.arg.string({ description: 'The source type name, without size.', required: true }),
      length: t.arg.int({ description: 'The declared length (characters or bytes).' }),
      scale: t.arg.int({ description: 'The declared scale (digits after the point).' }),
      precision: t.arg.int({ description: 'The declared precision (total digits).' }),
    },
    resolve: (_root, { sourceType, ...input }, { services }) =>
      translateDataType(services.sources.typeMap(sourceType.trim().toLowerCase()), input),
  }),
);
