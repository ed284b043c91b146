import type { SourceConnection, SourceTable } from '../../core/plugin/index.js';

/**
 * The source's current position as any plugin spells it: the `startOffset` of a capture session
 * pinned now (and closed at once). Changes committed after this call come after the offset.
 */
export async function captureOffset(
  connection: SourceConnection,
  tables: readonly SourceTable[] = [],
): Promise<string> {
  await using capture = await connection.startCapture(tables);
  return capture.startOffset;
}
