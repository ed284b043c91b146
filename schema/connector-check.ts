import type { UnknownTable } from '../core/connectors/unknown-tables.js';
import type { PrerequisiteCheck } from '../core/plugin/source-connection.js';
import type { ConnectorCheck } from '../core/replication/connector-check.js';
import type { TargetColumn, TargetTable } from '../core/target/target-table.js';
import { builder } from './builder.js';
import { AddConnectorInput } from './connector.js';
import { requiredRole, requireRole } from './mutation-guard.js';

const PrerequisiteCheckRef = builder.objectRef<PrerequisiteCheck>('PrerequisiteCheck').implement({
  description: 'One thing a start needs from the source, and whether it holds.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Short, stable identifier: `connection`, `wal_level`, `binlog_format`, `tables`.',
    }),
    ok: t.exposeBoolean('ok', { description: 'Whether the check passed.' }),
    detail: t.exposeString('detail', { description: 'What was found.' }),
    hint: t.exposeString('hint', {
      nullable: true,
      description: 'When not ok: the statement or setting that fixes it.',
    }),
  }),
});

const UnknownTableRef = builder.objectRef<UnknownTable>('UnknownTable').implement({
  description: 'A name in tables or snapshotTables that matches no table at the source.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name as the connector gives it.' }),
    setting: t.exposeString('setting', { description: '`tables` or `snapshotTables`.' }),
    closest: t.exposeStringList('closest', {
      description: 'The closest names of existing tables, best first (at most three).',
    }),
    notSelected: t.exposeBoolean('notSelected', {
      description: 'snapshotTables only: the table exists but is not among the connector’s tables.',
    }),
  }),
});

type PlannedColumn = TargetColumn & { readonly sourceType: string };

const PlannedColumnRef = builder.objectRef<PlannedColumn>('PlannedColumn').implement({
  description: 'Where one source column would land.',
  fields: (t) => ({
    source: t.exposeString('source', { description: 'The source column.' }),
    sourceType: t.exposeString('sourceType', { description: 'The source type, lower-case, without size.' }),
    name: t.exposeString('name', { description: 'The destination column, after rules and letter casing.' }),
    type: t.exposeString('type', { description: 'The destination PostgreSQL type, after DATATYPE rules.' }),
    nullable: t.exposeBoolean('nullable', { description: 'Whether the destination column accepts NULL.' }),
    transform: t.exposeString('transform', {
      nullable: true,
      description: 'The TRANSFORM expression applied to its values, if any.',
    }),
  }),
});

const PlannedTableRef = builder.objectRef<TargetTable>('PlannedTable').implement({
  description: 'A table a start would replicate, and where it would land under the mapping rules.',
  fields: (t) => ({
    source: t.exposeString('sourceName', { description: 'The source table, as `tables` names it.' }),
    destination: t.string({
      description: 'The destination `schema.table`.',
      resolve: (table) => `${table.schema}.${table.name}`,
    }),
    destinationSchema: t.exposeString('schema', { description: 'The destination schema.' }),
    destinationTable: t.exposeString('name', { description: 'The destination table name.' }),
    primaryKey: t.exposeStringList('primaryKey', { description: 'Destination names of the key columns.' }),
    columns: t.field({
      description: 'The destination columns, in source order.',
      type: [PlannedColumnRef],
      resolve: (table) =>
        table.columns.map((column) => ({
          ...column,
          sourceType: table.source.columns.find((c) => c.name === column.source)?.type ?? '',
        })),
    }),
  }),
});

const ConnectorCheckRef = builder.objectRef<ConnectorCheck>('ConnectorCheck').implement({
  description: 'A dry run of a start: what it would find at the source and replicate. Nothing is written.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'Every check passed: a start would get past its checks.' }),
    checks: t.field({
      type: [PrerequisiteCheckRef],
      description: 'The connection, the source’s prerequisite checks, then `tables` (the selection).',
      resolve: (check) => [...check.checks],
    }),
    unknownTables: t.field({
      description: 'Tables named in tables or snapshotTables that the source does not have.',
      type: [UnknownTableRef],
      resolve: (check) => [...check.unknownTables],
    }),
    tables: t.field({
      type: [PlannedTableRef],
      description: 'The tables that would be replicated, with their destination names, columns and types.',
      resolve: (check) => [...check.tables],
    }),
  }),
});

builder.queryFields((t) => ({
  checkConnector: t.field({
    type: ConnectorCheckRef,
    description:
      'Tests a saved connector without starting it: connects, runs the prerequisite checks and discovery, and ' +
      'answers each check, the unknown table names and the tables that would be replicated with their destination ' +
      'names and types. Writes nothing; add or update a connector, check it, then start it. Needs the operator ' +
      'role: it connects to the source with the stored credentials.',
    args: { name: t.arg.string({ required: true, description: 'The connector to check.' }) },
    resolve: (_root, { name }, { services, caller }) => {
      requireRole(caller, 'operator', 'checkConnector');
      return services.engine.check(name);
    },
  }),
  checkConnectorSettings: t.field({
    type: ConnectorCheckRef,
    description:
      'The dry run of checkConnector for a connector not saved yet: the input of addConnector is validated as ' +
      'addConnector validates it (INVALID_INPUT, UNSUPPORTED for an unknown type, ALREADY_EXISTS for a name in ' +
      'use), then checked the same way. Saves nothing, and never answers the password. Needs the admin role, as ' +
      'addConnector does: it makes the server connect to any host with any credentials.',
    args: {
      input: t.arg({
        description: 'The connector addConnector would save.',
        type: AddConnectorInput,
        required: true,
      }),
    },
    resolve: (_root, { input }, { services, caller }) => {
      requireRole(caller, requiredRole('addConnector'), 'checkConnectorSettings');
      return services.engine.checkSettings(input);
    },
  }),
}));
