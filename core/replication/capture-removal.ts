import type { ResolvedConnector } from '../connectors/connector-service.js';
import { SourceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type CaptureArtifact, describeArtifact } from '../plugin/capture-artifact.js';
import { errorMessage } from '../plugin/source-errors.js';

/** What removing a connector's capture at the source did. */
export interface CaptureRemoval {
  /** What stays at the source, each with the statement that drops it; empty when nothing does. */
  readonly leftBehind: readonly CaptureArtifact[];
  /** True when the plugin cannot name what it creates, so a forced deletion may have left something. */
  readonly unknownLeftovers: boolean;
}

export interface CaptureRemovalOptions {
  readonly force: boolean;
  /**
   * Whether the connector ever recorded a capture point. The engine records it right after the
   * capture is created, so a connector that never did (never started, or failed its checks) has
   * nothing at the source, and an unreachable source does not block its deletion.
   */
  readonly captureRecorded: boolean;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/**
 * Removes what the connector's capture created at the source (the plugin's `captureArtifacts`),
 * connecting only when there may be something to remove. When the source cannot be reached and
 * there may be: without `force`, throws SourceUnavailableError naming each artifact and the
 * statement that drops it; with `force`, answers them as left behind.
 */
export async function removeCapture(
  { record, plugin, config }: ResolvedConnector,
  options: CaptureRemovalOptions,
): Promise<CaptureRemoval> {
  const artifacts = plugin.captureArtifacts?.(config, record.name);
  if (artifacts?.length === 0) return { leftBehind: [], unknownLeftovers: false };
  try {
    const connection = await plugin.connect(config, {
      connectorName: record.name,
      log: silentLog,
      signal: options.signal,
    });
    try {
      await connection.dropCapture();
    } finally {
      await connection.close().catch(() => undefined);
    }
    return { leftBehind: [], unknownLeftovers: false };
  } catch (error) {
    if (!options.captureRecorded && artifacts !== undefined) {
      options.log.info(
        { connector: record.name, reason: errorMessage(error) },
        'the connector never created its capture; deleted without reaching the source',
      );
      return { leftBehind: [], unknownLeftovers: false };
    }
    if (!options.force) throw refusal(record.name, artifacts, error);
    const leftBehind = artifacts ?? [];
    options.log.warn(
      { connector: record.name, err: error, leftBehind: leftBehind.map(describeArtifact) },
      leftBehind.length > 0
        ? 'deleted with force; the capture was left at the source: drop it by hand'
        : 'deleted with force without removing the capture at the source (the plugin does not say what it created)',
    );
    return { leftBehind, unknownLeftovers: artifacts === undefined };
  }
}

function refusal(
  name: string,
  artifacts: readonly CaptureArtifact[] | undefined,
  error: unknown,
): SourceUnavailableError {
  const what =
    artifacts === undefined
      ? 'the capture (slot, publication) it created'
      : artifacts.map(describeArtifact).join(' and ');
  return new SourceUnavailableError(
    `cannot remove the capture of "${name}" at the source: ${errorMessage(error)}; ` +
      `deleting now would leave behind ${what}. Fix the settings (updateConnector) and delete again, ` +
      'or delete with force: true and run those statements at the source',
    { cause: error },
  );
}

const silentLog = { debug: () => undefined, info: () => undefined, warn: () => undefined };
