import { MAPPING_KINDS, type MappingRule, type ReplicatedColumn } from '../core/mappings/mapping-rule.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';

export const MappingKindEnum = enumFrom('MappingKind', MAPPING_KINDS, 'What a mapping rule changes.', {
  table: 'Where a source table lands: `schema.table` as destination.',
  column: 'The destination name of a source column (`schema.table.column` as source).',
  datatype: 'The destination type for a source type, everywhere or for one column.',
  transform: 'A SQL expression applied to every non-NULL value of a column (`%d` stands for the value).',
});

export const ObjectMappingRef = builder.objectRef<MappingRule>('ObjectMapping').implement({
  description: 'A mapping rule of a connector.',
  fields: (t) => ({
    kind: t.field({
      description: 'What the rule changes.',
      type: MappingKindEnum,
      resolve: (rule) => rule.kind,
    }),
    source: t.exposeString('source', {
      description: 'What it applies to: a source table, column or type, as the kind expects.',
    }),
    destination: t.exposeString('destination', { description: 'The destination name, type or expression.' }),
    enabled: t.exposeBoolean('enabled', {
      description: 'False once disabled (disableObjectMapping); a disabled rule does nothing.',
    }),
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
    sourceTable: t.exposeString('sourceTable', { description: 'The source table, fully qualified.' }),
    destinationTable: t.exposeString('destinationTable', {
      description: 'The destination table, as schema.table.',
    }),
    position: t.exposeInt('position', { description: 'The column position in the source table, from 1.' }),
    sourceColumn: t.exposeString('sourceColumn', { description: 'The source column name.' }),
    destinationColumn: t.exposeString('destinationColumn', { description: 'The destination column name.' }),
    sourceType: t.exposeString('sourceType', { description: 'The source type, as the source names it.' }),
    destinationType: t.exposeString('destinationType', {
      description: 'The PostgreSQL type of the destination column.',
    }),
    transform: t.exposeString('transform', {
      description: 'The TRANSFORM expression applied to its values; null when none.',
      nullable: true,
    }),
  }),
});

builder.mutationFields((t) => ({
  addObjectMapping: t.field({
    type: ObjectMappingRef,
    description:
      'Adds a TABLE, COLUMN, DATATYPE or TRANSFORM rule (or replaces the destination of the same kind and source); applied when the connector starts and on reloadObjectMappings.',
    args: {
      connector: t.arg.string({ description: 'The connector the rule belongs to.', required: true }),
      kind: t.arg({ description: 'What the rule changes.', type: MappingKindEnum, required: true }),
      source: t.arg.string({
        description: 'The source table, column or type it applies to.',
        required: true,
      }),
      destination: t.arg.string({ description: 'The destination name, type or expression.', required: true }),
    },
    resolve: (_root, args, { services }) =>
      services.mappings.add(args.connector, args.kind, args.source, args.destination),
  }),
  disableObjectMapping: t.field({
    type: ObjectMappingRef,
    description:
      'Disables a rule; the source is matched as written, or in any letter case when only one rule matches so.',
    args: {
      connector: t.arg.string({ description: 'The connector the rule belongs to.', required: true }),
      kind: t.arg({ description: 'The kind of the rule.', type: MappingKindEnum, required: true }),
      source: t.arg.string({ description: 'The source of the rule.', required: true }),
    },
    resolve: (_root, args, { services }) => services.mappings.disable(args.connector, args.kind, args.source),
  }),
}));
