import { ConfigError } from '../errors.js';
import { PLUGIN_API_VERSION, SNAPSHOT_MODES, type SourcePlugin } from '../plugin/source-plugin.js';

const KIND = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * Checks, at load time, that a value is a usable SourcePlugin; throws ConfigError naming `origin`
 * and the first problem found.
 */
export function assertSourcePlugin(candidate: unknown, origin: string): asserts candidate is SourcePlugin {
  const fail = (problem: string): never => {
    throw new ConfigError(`source plugin from ${origin}: ${problem}`);
  };
  if (typeof candidate !== 'object' || candidate === null) fail('does not export a plugin object');
  const plugin = candidate as Record<string, unknown>;
  if (plugin.apiVersion !== PLUGIN_API_VERSION) {
    fail(
      `apiVersion ${String(plugin.apiVersion)} is not supported; this Tributary implements apiVersion ${PLUGIN_API_VERSION}`,
    );
  }
  if (typeof plugin.kind !== 'string' || !KIND.test(plugin.kind)) {
    fail('kind must be a lower-case identifier such as "postgres"');
  }
  if (typeof plugin.title !== 'string' || plugin.title.length === 0) fail('title is missing');
  const schema = plugin.configSchema as { safeParse?: unknown } | undefined;
  if (typeof schema?.safeParse !== 'function') fail('configSchema must be a zod schema');
  if (typeof plugin.connect !== 'function') fail('connect must be a function');
  if (typeof plugin.defaultTargetType !== 'function') fail('defaultTargetType must be a function');
  if (typeof plugin.validateOffset !== 'function') fail('validateOffset must be a function');
  if (plugin.captureArtifacts !== undefined && typeof plugin.captureArtifacts !== 'function') {
    fail('captureArtifacts must be a function when given');
  }
  const modes = plugin.snapshotModes;
  if (!Array.isArray(modes) || modes.length === 0 || !modes.every((mode) => SNAPSHOT_MODES.includes(mode))) {
    fail(`snapshotModes must be a non-empty list of ${SNAPSHOT_MODES.join(', ')}`);
  }
  if (plugin.hasSchemas !== undefined && typeof plugin.hasSchemas !== 'boolean') {
    fail('hasSchemas must be a boolean when given');
  }
  const capabilities = plugin.capabilities as Record<string, unknown> | undefined;
  if (capabilities?.handoff !== 'exact') {
    fail('capabilities.handoff must be "exact"');
  }
  if (!['streamed', 'none'].includes(capabilities?.schemaChanges as string)) {
    fail('capabilities.schemaChanges must be "streamed" or "none"');
  }
}
