/**
 * The source-plugin contract, exported as `tributary/plugin`: the interfaces a plugin implements,
 * the events it emits and the named errors the engine branches on. Helpers a plugin may use are in
 * `tributary/plugin-kit`; the contract test suite is `tributary/testing`.
 *
 * Glossary
 * - **Source plugin**: everything the server knows about one kind of source database (`kind`), made
 *   with `defineSourcePlugin`. It validates a config and opens connections.
 * - **Connector**: one user-defined replication from a source database (its config) into the target
 *   PostgreSQL, with its tables, mapping rules and state. Its name is given to the plugin so it can
 *   name source-side objects (slots, publications).
 * - **Job**: one run of a connector in the engine, from start to stop or failure; a restart is a
 *   new job on a new connection.
 * - **Connection** (`SourceConnection`): a job's handle on the source: `check`, `discover`,
 *   `startCapture`, `readTable`, `readChanges`, `dropCapture`, `close`.
 * - **Capture session**: what `startCapture` returns: a consistent view of the tables as of its
 *   `startOffset`, read table by table during the snapshot.
 * - **Snapshot**: the initial copy of the tables' rows through a capture session.
 * - **Offset**: a position in the source's change history, made by the plugin as a string that
 *   sorts in history order (fixed-width LSN, binlog file + position, zero-padded SCN...).
 * - **Hand-off**: the meeting of snapshot and stream: the stream starts after the capture session's
 *   `startOffset`, so together they reproduce the source exactly.
 * - **commitOffset**: carried by every change: the offset of the transaction that made it; the
 *   engine skips a change already included in a table's snapshot (`commitOffset <= startOffset`).
 * - **Checkpoint**: an event saying every change up to its offset has been emitted; the engine
 *   commits the applied rows and that offset together, and a restart resumes after it.
 * - **Refusal** (`SourceRefusedError`): the source said no (wrong credentials, unknown database,
 *   locked account); retrying cannot help. **Unavailable** (`SourceUnavailableError`): the source
 *   could not be reached or dropped the connection; the engine retries.
 */
export { ConfigError, HistoryLostError, SourceRefusedError, SourceUnavailableError } from '../errors.js';
export type { CaptureArtifact } from './capture-artifact.js';
export type {
  CaptureSession,
  PrerequisiteCheck,
  ReadChangesOptions,
  ReadTableOptions,
  SourceConnection,
  TableSelection,
} from './source-connection.js';
export type {
  Checkpoint,
  DataChange,
  JsonValue,
  Row,
  RowChange,
  SchemaChange,
  SourceEvent,
  SourceValue,
  TruncateChange,
} from './source-event.js';
export {
  type ConnectContext,
  type ConnectionConfig,
  defineSourcePlugin,
  PLUGIN_API_VERSION,
  type PluginCapabilities,
  type PluginLogger,
  SNAPSHOT_MODES,
  type SnapshotMode,
  type SourcePlugin,
} from './source-plugin.js';
export type { SourceColumn, SourceTable, TableRef } from './source-table.js';
