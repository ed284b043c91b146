import {
  type ConnectorRecord,
  ERROR_STRATEGIES,
  LETTER_CASINGS,
} from '../core/connectors/connector-record.js';
import { NotFoundError } from '../core/errors.js';
import type { ConnectorOverview } from '../core/replication/connector-overview.js';
import type { ConnectorState } from '../core/replication/connector-state.js';
import { DEAD_LETTER_PAGE } from '../core/replication/dead-letter-store.js';
import { builder } from './builder.js';
import { DeadLetterRef } from './dead-letter.js';
import { enumFrom } from './enum-from.js';
import { ObjectMappingRef, ReplicatedColumnRef } from './mapping.js';
import { ConnectorStateRef, ConnectorStatsRef } from './state.js';

export const LetterCasingEnum = enumFrom(
  'LetterCasing',
  LETTER_CASINGS,
  'How source table and column names become destination names.',
  {
    lowercase: 'Lower-cased (the default): `Orders.OrderId` lands as `orders.orderid`.',
    uppercase: 'Upper-cased.',
    asis: 'Kept exactly as the source writes them.',
  },
);
export const ErrorStrategyEnum = enumFrom(
  'ErrorStrategy',
  ERROR_STRATEGIES,
  'What a connector does when it fails or meets an event it cannot apply.',
  {
    exit: 'Stop the connector with the error (the default).',
    skip: 'Set an event that cannot be applied aside as a dead letter and go on; stop on other failures.',
    retry: 'Retry the job with back-off after any failure, keeping the connector active.',
  },
);

/**
 * A connector as a query returns it; `seen` holds the state (and stats) read with it, by the
 * `connectors` list or the state subscription, so the fields show that one moment.
 */
export type ConnectorSource = ConnectorRecord & {
  readonly seen?: { readonly state: ConnectorState; readonly stats?: ConnectorOverview['seen']['stats'] };
};

export const ConnectorRef = builder.objectRef<ConnectorSource>('Connector').implement({
  description:
    'A saved source configuration and its replication state. Never shows a password or other secret.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'The connector name, unique; the key every operation takes.',
    }),
    type: t.exposeString('type', { description: 'A SourceType id.' }),
    host: t.exposeString('host', { description: 'Source host name or address.' }),
    port: t.exposeInt('port', { description: 'Source port.' }),
    user: t.exposeString('user', { description: 'Source user.' }),
    database: t.exposeString('database', { description: 'Source database.' }),
    schema: t.exposeString('schema', {
      description:
        'Source schema the table names default to (dbo, an Oracle user, public); null when not set.',
      nullable: true,
    }),
    tables: t.stringList({
      description: 'Fully qualified source tables to replicate; null means every table.',
      nullable: true,
      resolve: (c) => (c.tables ? [...c.tables] : null),
    }),
    snapshotTables: t.stringList({
      description: 'The subset of tables copied again by a start in mode ALWAYS; null means all of them.',
      nullable: true,
      resolve: (c) => (c.snapshotTables ? [...c.snapshotTables] : null),
    }),
    letterCasing: t.field({
      description: 'How source names become destination names.',
      type: LetterCasingEnum,
      resolve: (c) => c.letterCasing,
    }),
    errorStrategy: t.field({
      description: 'What the connector does on a failure or an event it cannot apply.',
      type: ErrorStrategyEnum,
      resolve: (c) => c.errorStrategy,
    }),
    options: t.field({
      type: 'JSON',
      description: 'Plugin-specific options, without secret ones.',
      resolve: (c) => c.options,
    }),
    active: t.exposeBoolean('active', {
      description:
        'Whether the user wants it running: set by start, resume and restart, cleared by stop. A job that stops by itself on a failure the error strategy does not retry (EXIT, SKIP), or after INITIAL_ONLY, clears it; a retried or connectivity failure keeps it (state RESTARTING). The server relaunches the active connectors when it starts (none in safe mode).',
    }),
    state: t.field({
      description: 'Stage, run state, error, warning and offset.',
      type: ConnectorStateRef,
      resolve: async (c, _args, { services }) => {
        const state = c.seen?.state ?? (await services.state.state(c.name));
        if (!state) throw new NotFoundError(`connector "${c.name}" was deleted`);
        return state;
      },
    }),
    stats: t.field({
      description: 'Live counters: changes applied, snapshot rows, batches, lag.',
      type: ConnectorStatsRef,
      resolve: async (c, _args, { services }) => {
        const stats = c.seen?.stats ?? (await services.liveStats.connectorStats(c.name));
        if (!stats) throw new NotFoundError(`connector "${c.name}" was deleted`);
        return { ...stats, connector: c.name };
      },
    }),
    mappings: t.field({
      description: 'The TABLE, COLUMN, DATATYPE and TRANSFORM rules of this connector.',
      type: [ObjectMappingRef],
      resolve: (c, _args, { services }) => services.mappings.rules(c.name),
    }),
    attributes: t.field({
      description: 'Every replicated column: where it comes from, where it lands and with which types.',
      type: [ReplicatedColumnRef],
      resolve: (c, _args, { services }) => services.mappings.attributes(c.name),
    }),
    deadLetters: t.field({
      type: [DeadLetterRef],
      description:
        `Events set aside by errorStrategy SKIP, newest first (by id, descending). limit must be 1..${DEAD_LETTER_PAGE.maxLimit}, ` +
        'offset 0 or more; anything else is INVALID_INPUT.',
      args: {
        limit: t.arg.int({
          description: 'How many dead letters, 1 to 1000.',
          required: true,
          defaultValue: DEAD_LETTER_PAGE.defaultLimit,
        }),
        offset: t.arg.int({
          description: 'How many of the newest to skip.',
          required: true,
          defaultValue: 0,
        }),
      },
      resolve: (c, { limit, offset }, { services }) => services.deadLetters.page(c.name, limit, offset),
    }),
  }),
});

export const AddConnectorInput = builder.inputType('AddConnectorInput', {
  description: 'A new connector: where the source is, how to log in, and what to replicate.',
  fields: (t) => ({
    name: t.string({ description: 'A unique name for the connector.', required: true }),
    type: t.string({ description: 'A SourceType id (`postgres`, `mysql`, ...).', required: true }),
    host: t.string({ description: 'Source host name or address.', required: true }),
    port: t.int({ description: 'Source port.', required: true }),
    user: t.string({ description: 'Source user.', required: true }),
    password: t.string({
      description: 'Source password; stored encrypted and never returned.',
      required: true,
    }),
    database: t.string({ description: 'Source database.', required: true }),
    schema: t.string({ description: 'Source schema table names default to.' }),
    tables: t.stringList({
      description: 'Fully qualified source tables to replicate; all tables when omitted.',
    }),
    snapshotTables: t.stringList({
      description: 'The subset of tables a start in mode ALWAYS copies again; all of them when omitted.',
    }),
    letterCasing: t.field({
      description: 'How source names become destination names (LOWERCASE when omitted).',
      type: LetterCasingEnum,
      defaultValue: 'lowercase',
    }),
    errorStrategy: t.field({
      description: 'What to do on failures and events that cannot be applied (EXIT when omitted).',
      type: ErrorStrategyEnum,
      defaultValue: 'exit',
    }),
    options: t.field({
      type: 'JSON',
      description:
        "Plugin-specific extras (TLS mode and files, slot name, ...), plus the engine's existingTables: what a start does with an existing destination table no connector owns — FAIL (default: refuse), TRUNCATE (empty it, then copy) or APPEND (copy into it, keeping its rows).",
    }),
  }),
});

const UpdateConnectorInput = builder.inputType('UpdateConnectorInput', {
  description: 'Every field optional; takes effect on the next start/restart.',
  fields: (t) => ({
    host: t.string({ description: 'New source host.' }),
    port: t.int({ description: 'New source port.' }),
    user: t.string({ description: 'New source user.' }),
    password: t.string({ description: 'New source password; stored encrypted and never returned.' }),
    database: t.string({ description: 'New source database.' }),
    schema: t.string({ description: 'New default source schema.' }),
    tables: t.stringList({ description: 'New list of fully qualified source tables to replicate.' }),
    snapshotTables: t.stringList({
      description: 'New subset of tables a start in mode ALWAYS copies again.',
    }),
    letterCasing: t.field({ description: 'New letter casing of destination names.', type: LetterCasingEnum }),
    errorStrategy: t.field({ description: 'New error strategy.', type: ErrorStrategyEnum }),
    options: t.field({ description: 'Plugin-specific options, replacing the current ones.', type: 'JSON' }),
  }),
});

builder.queryFields((t) => ({
  connectors: t.field({
    type: [ConnectorRef],
    description: 'Every connector, each with its state and stats as of one moment.',
    resolve: (_root, _args, { services }) => services.liveStats.overview(),
  }),
  connector: t.field({
    description: 'One connector by name; null when there is none.',
    type: ConnectorRef,
    nullable: true,
    args: { name: t.arg.string({ description: 'The connector name.', required: true }) },
    resolve: (_root, { name }, { services }) => services.connectors.get(name),
  }),
}));

builder.mutationFields((t) => ({
  addConnector: t.field({
    description:
      'Saves a new connector (stopped). checkConnectorSettings tests the same input before saving; checkConnector tests a saved one; then startConnector.',
    type: ConnectorRef,
    args: { input: t.arg({ description: 'The new connector.', type: AddConnectorInput, required: true }) },
    resolve: (_root, { input }, { services }) => services.connectors.add(input),
  }),
  updateConnector: t.field({
    description: "Changes a connector's settings; they take effect on the next start or restart.",
    type: ConnectorRef,
    args: {
      name: t.arg.string({ description: 'The connector to change.', required: true }),
      input: t.arg({
        description: 'The settings to change; omitted ones stay.',
        type: UpdateConnectorInput,
        required: true,
      }),
    },
    resolve: (_root, { name, input }, { services }) => services.connectors.update(name, input),
  }),
  deleteConnector: t.boolean({
    description:
      'Stops it and removes its offsets, rules, metadata and the slot and publication it created at the source. ' +
      'Replicated tables stay. When the source cannot be reached it fails unless force is true. ' +
      'deleteConnectorDetailed does the same and answers what was left at the source.',
    args: {
      name: t.arg.string({ description: 'The connector to delete.', required: true }),
      force: t.arg.boolean({
        description: 'Delete even when the source cannot be reached, leaving its slot and publication there.',
        defaultValue: false,
      }),
    },
    resolve: async (_root, { name, force }, { services }) => {
      await services.engine.delete(name, force ?? false);
      return true;
    },
  }),
}));
