/**
 * Something a capture creates at the source and that outlives the connector unless it is removed:
 * a replication slot keeps the source's history, a publication lists tables. A plugin names each
 * one together with the statement that drops it, so that a connector deleted while its source
 * cannot be reached says exactly what it left behind and how to remove it by hand.
 */
export interface CaptureArtifact {
  /** What it is, in the source's words: `replication slot`, `publication`. */
  readonly kind: string;
  /** Its name at the source. */
  readonly name: string;
  /** The statement that removes it, run at the source by a user allowed to (e.g. its owner). */
  readonly dropStatement: string;
  /** When it may not exist or may not be Tributary's: the condition, e.g. `only if Tributary created it`. */
  readonly note?: string;
}

/** `replication slot tributary_orders (drop it with: SELECT pg_drop_replication_slot('tributary_orders'))`. */
export function describeArtifact(artifact: CaptureArtifact): string {
  const note = artifact.note ? `, ${artifact.note}` : '';
  return `${artifact.kind} ${artifact.name} (drop it with: ${artifact.dropStatement}${note})`;
}
