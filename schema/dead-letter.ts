import type { DeadLetter } from '../core/replication/dead-letter-store.js';
import { builder } from './builder.js';

export const DeadLetterRef = builder.objectRef<DeadLetter>('DeadLetter').implement({
  description:
    'A bad event set aside by a connector whose errorStrategy is SKIP, with the error that stopped it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Increasing in the order events were set aside.' }),
    sourceTable: t.exposeString('sourceTable', {
      description: 'The source table of the event; null when the event names none.',
      nullable: true,
    }),
    offset: t.exposeString('offset', { nullable: true, description: "The event's source offset." }),
    event: t.field({
      type: 'JSON',
      description: 'The event as the plugin gave it.',
      resolve: (d) => d.event,
    }),
    error: t.exposeString('error', { description: 'Why the event could not be applied.' }),
    createdAt: t.expose('createdAt', { description: 'When it was set aside.', type: 'DateTime' }),
  }),
});
