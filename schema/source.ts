import { SNAPSHOT_MODES, type SourcePlugin } from '../core/plugin/source-plugin.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';

export const SnapshotModeEnum = enumFrom(
  'SnapshotMode',
  SNAPSHOT_MODES,
  'How a connector starts: see API.md.',
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
