import { translateDataType } from '../core/mappings/translate-data-type.js';
import { SNAPSHOT_MODES, type SourcePlugin } from '../core/plugin/source-plugin.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';

export const SnapshotModeEnum = enumFrom(
  'SnapshotMode',
  SNAPSHOT_MODES,
  'What a start copies before change data capture, if anything; see docs/api.md, Snapshot modes.',
);

const SourceTypeRef = builder.objectRef<SourcePlugin>('SourceType').implement({
  description: 'One registered source plugin, built-in or third-party.',
  fields: (t) => ({
    id: t.string({ resolve: (plugin) => plugin.kind }),
    title: t.exposeString('title'),
    snapshotModes: t.field({ type: [SnapshotModeEnum], resolve: (plugin) => [...plugin.snapshotModes] }),
  }),
});

builder.queryField('sourceTypes', (t) =>
  t.field({ type: [SourceTypeRef], resolve: (_root, _args, { services }) => services.sources.list() }),
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
      type: t.arg.string({ required: true }),
      length: t.arg.int(),
      scale: t.arg.int(),
      precision: t.arg.int(),
    },
    resolve: (_root, { sourceType, ...input }, { services }) =>
      translateDataType(services.sources.typeMap(sourceType.trim().toLowerCase()), input),
  }),
);
