import type { z } from 'zod';
import type { CaptureArtifact } from './capture-artifact.js';
import type { SourceConnection } from './source-connection.js';
import type { SourceColumn } from './source-table.js';

/** The contract version this core implements. A plugin built for another version is refused. */
export const PLUGIN_API_VERSION = 1;

export const SNAPSHOT_MODES = [
  'initial',
  'initial_only',
  'no_data',
  'never',
  'always',
  'schemasync',
] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];

/**
 * The settings every connector has. A plugin's `configSchema` extends `baseConnectionConfig`
 * (usually only by giving `options` a shape) and may refine it, e.g. to require `schema`.
 */
export interface ConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly schema: string | null;
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a connection may use from the host process. */
export interface ConnectContext {
  /** The connector's name, for naming source-side objects (slots, publications). */
  readonly connectorName: string;
  /** Structured logger; never pass secrets to it. */
  readonly log: PluginLogger;
  readonly signal: AbortSignal;
}

export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface PluginCapabilities {
  /**
   * `exact`: the snapshot and the stream meet at one offset with no gap and no overlap (see
   * `CaptureSession`). The only hand-off the engine implements; a source whose changes just before
   * the start offset may repeat has to filter them itself.
   */
  readonly handoff: 'exact';
  /** `streamed`: the change stream carries SchemaChange events. `none`: table shapes are fixed. */
  readonly schemaChanges: 'streamed' | 'none';
}

/**
 * A source plugin: everything the core knows about one kind of database.
 *
 * A plugin is a plain, stateless object; all state lives in the connections it makes. Loading a
 * plugin must not load its database driver: drivers are imported inside `connect`.
 */
export interface SourcePlugin<Config extends ConnectionConfig = ConnectionConfig> {
  /** Must equal `PLUGIN_API_VERSION`. */
  readonly apiVersion: number;
  /** Unique id, lower-case (`postgres`, `mysql`); a second plugin with the same kind is refused. */
  readonly kind: string;
  /** Human name shown in `sourceTypes`. */
  readonly title: string;
  /** Validates a connector's settings; errors become INVALID_INPUT with the zod message. */
  readonly configSchema: z.ZodType<Config>;
  /** Keys of `options` that hold secrets: stored encrypted, never returned, never logged. */
  readonly secretOptions?: readonly string[];
  readonly capabilities: PluginCapabilities;
  readonly snapshotModes: readonly SnapshotMode[];
  /**
   * Whether the source's tables live in schemas inside the connector's database (PostgreSQL, SQL
   * Server, Oracle: true, the default) or the database is the schema (MySQL: false). It decides the
   * canonical table name (`schema.table`, or `database.table` without schemas) and lets users
   * write SynchDB's three-part `database.schema.table` too: see `core/plugin/object-names.ts`.
   * `discover` must give `TableRef.schema` a value exactly when this is true.
   */
  readonly hasSchemas?: boolean;
  /** The PostgreSQL type the connector creates for a column when no rule overrides it. */
  defaultTargetType(column: SourceColumn): string;
  /**
   * Checks an offset a user gives to `setOffset`: null when it is well-formed, else a message
   * saying what a valid offset looks like (e.g. `offsets look like 0000000001A2B3C4 (an LSN in hex)`).
   */
  validateOffset(offset: string): string | null;
  /**
   * Optional. What the connection's `startCapture` creates at the source for this connector, named
   * from `config` and `connectorName` exactly as `connect` names them, without connecting: what
   * `dropCapture` removes. Must be pure and cheap; it never says whether they exist now.
   * - `[]` declares that the plugin creates nothing at the source (MySQL reads the binary log):
   *   the engine deletes such a connector without connecting, so wrong settings never block it.
   * - A list: deleting connects and calls `dropCapture`; when the source cannot be reached, the
   *   deletion is refused naming each artifact and its drop statement, or with `force` goes on and
   *   reports them as left behind.
   * - Absent: unknown; deleting always connects and calls `dropCapture`, and a forced deletion
   *   cannot say what it left behind.
   */
  captureArtifacts?(config: Config, connectorName: string): readonly CaptureArtifact[];
  /**
   * Opens a connection. Throws `SourceUnavailableError` when the source cannot be reached or
   * refuses the login (with the driver's message, never the password).
   */
  connect(config: Config, context: ConnectContext): Promise<SourceConnection>;
}

/**
 * Declares a plugin with its types checked; returns it unchanged (frozen). Use it for every plugin
 * so the shape is checked at compile time and once more when the registry loads it.
 */
export function defineSourcePlugin<Config extends ConnectionConfig>(
  plugin: SourcePlugin<Config>,
): SourcePlugin<Config> {
  return Object.freeze({ ...plugin });
}
