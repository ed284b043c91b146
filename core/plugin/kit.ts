/**
 * The plugin kit, exported as `tributary/plugin-kit`: conveniences a source plugin may use (TLS
 * options, stall watch, event buffer, COPY text, offset validation, prerequisite checks, object
 * names, type sizes). Nothing here is an obligation: the contract is `tributary/plugin`.
 */
export { describeArtifact } from './capture-artifact.js';
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
export { errorMessage, redact, unavailable } from './source-errors.js';
export { qualifiedName } from './source-table.js';
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
export {
  MAX_BIT_LENGTH,
  MAX_CHAR_LENGTH,
  MAX_FRACTION,
  passThrough,
  withDigits,
  withFraction,
  withLength,
} from './type-sizes.js';
