import type { CaptureArtifact } from '../core/plugin/capture-artifact.js';
import type { CaptureRemoval } from '../core/replication/capture-removal.js';
import { builder } from './builder.js';

export const CaptureArtifactRef = builder.objectRef<CaptureArtifact>('CaptureArtifact').implement({
  description:
    'Something a connector created at its source for change capture (a PostgreSQL replication slot or publication).',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'What it is: `replication slot`, `publication`.' }),
    name: t.exposeString('name', { description: 'Its name at the source.' }),
    dropStatement: t.exposeString('dropStatement', {
      description: 'The statement that removes it, to run at the source by hand.',
    }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'When it may not exist or may not be Tributary’s, the condition.',
    }),
  }),
});

type Deletion = CaptureRemoval & { readonly name: string };

const ConnectorDeletionRef = builder.objectRef<Deletion>('ConnectorDeletion').implement({
  description: 'What deleting a connector did at its source.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The deleted connector.' }),
    leftBehind: t.field({
      type: [CaptureArtifactRef],
      description:
        'What stays at the source because it could not be reached (deleted with force), each with the statement that drops it; empty when nothing does.',
      resolve: (deletion) => [...deletion.leftBehind],
    }),
    unknownLeftovers: t.exposeBoolean('unknownLeftovers', {
      description:
        'True when a forced deletion could not reach the source and its plugin cannot name what it created there.',
    }),
  }),
});

builder.mutationFields((t) => ({
  deleteConnectorDetailed: t.field({
    type: ConnectorDeletionRef,
    description:
      'deleteConnector, answering what was left at the source. A connector whose plugin creates nothing at the source ' +
      '(MySQL), or that never created its capture, is deleted without reaching the source. Otherwise, when the source ' +
      'cannot be reached, it fails (SOURCE_ERROR) naming each slot and publication and the statement that drops it, ' +
      'unless force is true: then it deletes and lists them in leftBehind.',
    args: {
      name: t.arg.string({ description: 'The connector to delete.', required: true }),
      force: t.arg.boolean({
        defaultValue: false,
        description: 'Delete even when the source cannot be reached to remove the capture.',
      }),
    },
    resolve: async (_root, { name, force }, { services }) => ({
      name,
      ...(await services.engine.delete(name, force ?? false)),
    }),
  }),
}));
