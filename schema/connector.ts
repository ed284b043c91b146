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

export const LetterCasingEnum = enumFrom('LetterCasing', LETTER_CASINGS);
export const ErrorStrategyEnum = enumFrom('ErrorStrategy', ERROR_STRATEGIES);

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
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'A SourceType id.' }),
    host: t.exposeString('host'),
    port: t.exposeInt('port'),
    user: t.exposeString('user'),
    database: t.exposeString('database'),
    schema: t.exposeString('schema', { nullable: true }),
    tables: t.stringList({ nullable: true, resolve: (c) => (c.tables ? [...c.tables] : null) }),
    snapshotTables: t.stringList({
      nullable: true,
      resolve: (c) => (c.snapshotTables ? [...c.snapshotTables] : null),
    }),
    letterCasing: t.field({ type: LetterCasingEnum, resolve: (c) => c.letterCasing }),
    errorStrategy: t.field({ type: ErrorStrategyEnum, resolve: (c) => c.errorStrategy }),
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
      type: ConnectorStateRef,
      resolve: async (c, _args, { services }) => {
        const state = c.seen?.state ?? (await services.state.state(c.name));
        if (!state) throw new NotFoundError(`connector "${c.name}" was deleted`);
        return state;
      },
    }),
    stats: t.field({
      type: ConnectorStatsRef,
      resolve: async (c, _args, { services }) => {
        const stats = c.seen?.stats ?? (await services.liveStats.connectorStats(c.name));
        if (!stats) throw new NotFoundError(`connector "${c.name}" was deleted`);
        return { ...stats, connector: c.name };
      },
    }),
    mappings: t.field({
      type: [ObjectMappingRef],
      resolve: (c, _args, { services }) => services.mappings.rules(c.name),
    }),
    attributes: t.field({
      type: [ReplicatedColumnRef],
      resolve: (c, _args, { services }) => services.mappings.attributes(c.name),
    }),
    deadLetters: t.field({
      type: [DeadLetterRef],
      description:
        `Events set aside by errorStrategy SKIP, newest first (by id, descending). limit must be 1..${DEAD_LETTER_PAGE.maxLimit}, ` +
        'offset 0 or more; anything else is INVALID_INPUT.',
      args: {
        limit: t.arg.int({ required: true, defaultValue: DEAD_LETTER_PAGE.defaultLimit }),
        offset: t.arg.int({ required: true, defaultValue: 0 }),
      },
      resolve: (c, { limit, offset }, { services }) => services.deadLetters.page(c.name, limit, offset),
    }),
  }),
});

const AddConnectorInput = builder.inputType('AddConnectorInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.string({ required: true }),
    host: t.string({ required: true }),
    port: t.int({ required: true }),
    user: t.string({ required: true }),
    password: t.string({ required: true }),
    database: t.string({ required: true }),
    schema: t.string(),
    tables: t.stringList(),
    snapshotTables: t.stringList(),
    letterCasing: t.field({ type: LetterCasingEnum, defaultValue: 'lowercase' }),
    errorStrategy: t.field({ type: ErrorStrategyEnum, defaultValue: 'exit' }),
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
    host: t.string(),
    port: t.int(),
    user: t.string(),
    password: t.string(),
    database: t.string(),
    schema: t.string(),
    tables: t.stringList(),
    snapshotTables: t.stringList(),
    letterCasing: t.field({ type: LetterCasingEnum }),
    errorStrategy: t.field({ type: ErrorStrategyEnum }),
    options: t.field({ type: 'JSON' }),
  }),
});

builder.queryFields((t) => ({
  connectors: t.field({
    type: [ConnectorRef],
    description: 'Every connector, each with its state and stats as of one moment.',
    resolve: (_root, _args, { services }) => services.liveStats.overview(),
  }),
  connector: t.field({
    type: ConnectorRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, { name }, { services }) => services.connectors.get(name),
  }),
}));

builder.mutationFields((t) => ({
  addConnector: t.field({
    type: ConnectorRef,
    args: { input: t.arg({ type: AddConnectorInput, required: true }) },
    resolve: (_root, { input }, { services }) => services.connectors.add(input),
  }),
  updateConnector: t.field({
    type: ConnectorRef,
    args: {
      name: t.arg.string({ required: true }),
      input: t.arg({ type: UpdateConnectorInput, required: true }),
    },
    resolve: (_root, { name, input }, { services }) => services.connectors.update(name, input),
  }),
  deleteConnector: t.boolean({
    description:
      'Stops it and removes its offsets, rules, metadata and the slot and publication it created at the source. ' +
      'Replicated tables stay. When the source cannot be reached it fails unless force is true. ' +
      'deleteConnectorDetailed does the same and answers what was left at the source.',
    args: { name: t.arg.string({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_root, { name, force }, { services }) => {
      await services.engine.delete(name, force ?? false);
      return true;
    },
  }),
}));
