import { MAPPING_KINDS, type MappingRule, type ReplicatedColumn } from '../core/mappings/mapping-rule.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';

export const MappingKindEnum = enumFrom('MappingKind', MAPPING_KINDS);

export const ObjectMappingRef = builder.objectRef<MappingRule>('ObjectMapping').implement({
  fields: (t) => ({
    kind: t.field({ type: MappingKindEnum, resolve: (rule) => rule.kind }),
    source: t.exposeString('source'),
    destination: t.exposeString('destination'),
    enabled: t.exposeBoolean('enabled'),
    matched: t.boolean({
      nullable: true,
      description:
        'Whether the source names a replicated table or column (for a type-wide DATATYPE rule: a type some replicated column has); null while the connector has replicated nothing yet. A rule that matches nothing does nothing.',
      resolve: (rule) => rule.matched ?? null,
    }),
    unmatchedReason: t.string({
      nullable: true,
      description: 'Why the rule matches nothing, when matched is false.',
      resolve: (rule) => rule.unmatchedReason ?? null,
    }),
  }),
});

export const ReplicatedColumnRef = builder.objectRef<ReplicatedColumn>('ReplicatedColumn').implement({
  description: "SynchDB's synchdb_att_view row: one replicated column.",
  fields: (t) => ({
    sourceTable: t.exposeString('sourceTable'),
    destinationTable: t.exposeString('destinationTable'),
    position: t.exposeInt('position'),
    sourceColumn: t.exposeString('sourceColumn'),
    destinationColumn: t.exposeString('destinationColumn'),
    sourceType: t.exposeString('sourceType'),
    destinationType: t.exposeString('destinationType'),
    transform: t.exposeString('transform', { nullable: true }),
  }),
});

builder.mutationFields((t) => ({
  addObjectMapping: t.field({
    type: ObjectMappingRef,
    description:
      'Adds a TABLE, COLUMN, DATATYPE or TRANSFORM rule (or replaces the destination of the same kind and source); applied when the connector starts and on reloadObjectMappings.',
    args: {
      connector: t.arg.string({ required: true }),
      kind: t.arg({ type: MappingKindEnum, required: true }),
      source: t.arg.string({ required: true }),
      destination: t.arg.string({ required: true }),
    },
    resolve: (_root, args, { services }) =>
      services.mappings.add(args.connector, args.kind, args.source, args.destination),
  }),
  disableObjectMapping: t.field({
    type: ObjectMappingRef,
    description:
      'Disables a rule; the source is matched as written, or in any letter case when only one rule matches so.',
    args: {
      connector: t.arg.string({ required: true }),
      kind: t.arg({ type: MappingKindEnum, required: true }),
      source: t.arg.string({ required: true }),
    },
    resolve: (_root, args, { services }) => services.mappings.disable(args.connector, args.kind, args.source),
  }),
}));
