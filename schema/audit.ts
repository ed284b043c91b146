import { type AuditEntry, MAX_AUDIT_ENTRIES } from '../core/audit/audit-log.js';
import { builder } from './builder.js';
import { requireRole } from './mutation-guard.js';

export const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'One API mutation, allowed or refused: who, what, when and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Increasing in the order mutations ended.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When the mutation ended.' }),
    role: t.exposeString('role', { description: "The caller's role: viewer, operator or admin." }),
    tokenId: t.exposeString('tokenId', {
      nullable: true,
      description:
        'Which configured token (`viewer#2`: the second one); never the token. Null without tokens.',
    }),
    mutation: t.exposeString('mutation', { description: 'The mutation field, e.g. addObjectMapping.' }),
    connector: t.exposeString('connector', {
      nullable: true,
      description: 'The connector it named, if any.',
    }),
    arguments: t.field({
      type: 'JSON',
      description: 'The arguments, with passwords, keys and tokens replaced by "***".',
      resolve: (entry) => entry.arguments,
    }),
    outcome: t.exposeString('outcome', {
      description: '`ok`, or the error code it failed with (e.g. FORBIDDEN).',
    }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.field({
    type: [AuditEntryRef],
    description: `The audit trail, newest first: every mutation with its caller and outcome. Admins only (FORBIDDEN otherwise).`,
    args: {
      limit: t.arg.int({
        defaultValue: 100,
        description: `How many entries, at most ${MAX_AUDIT_ENTRIES}.`,
      }),
      connector: t.arg.string({ description: 'Only the mutations that named this connector.' }),
    },
    resolve: (_root, { limit, connector }, { services, caller }) => {
      requireRole(caller, 'admin', 'auditLog');
      return services.audit.recent(limit ?? 100, connector ?? null);
    },
  }),
}));
