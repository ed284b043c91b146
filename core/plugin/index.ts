/**
 * The source-plugin contract, exported as `tributary/plugin`. Third-party plugins import only
 * from here. Glossary: docs/glossary.md — source plugin, connection, offset, checkpoint, capture.
 */
export { ConfigError, HistoryLostError, SourceUnavailableError } from '../errors.js';
export { type CaptureArtifact, describeArtifact } from './capture-artifact.js';
export { baseConnectionConfig, millisecondsOption } from './connection-config.js';
export { EventBuffer } from './event-buffer.js';
export {
  canonicalColumnName,
  canonicalTableName,
  type SourceNaming,
  sourceNaming,
} from './object-names.js';
export { offsetValidator } from './offset-validator.js';
export { onAbort } from './on-abort.js';
export { toCopyField, toPgText } from './pg-text.js';
export { prerequisiteCheck } from './prerequisite-check.js';
export type {
  CaptureSession,
  PrerequisiteCheck,
  ReadChangesOptions,
  ReadTableOptions,
  SourceConnection,
  TableSelection,
} from './source-connection.js';
export { errorMessage, redact, unavailable } from './source-errors.js';
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
export { qualifiedName, type SourceColumn, type SourceTable, type TableRef } from './source-table.js';
export {
  DEFAULT_STALL_TIMEOUT_MS,
  type LivenessOptions,
  refineStallTimeout,
  stallTimeout,
  stallTimeoutOption,
  type WatchedSocket,
  watchForStall,
} from './stall-watch.js';
export {
  describeTlsFailure,
  loadTls,
  nodeTlsOptions,
  TLS_MODES,
  type TlsMaterial,
  type TlsMode,
  type TlsOptions,
  tlsOptions,
} from './tls-options.js';
