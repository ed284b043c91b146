import { InvalidInputError } from '../errors.js';

/**
 * A destination table a connector would write into while it is not the connector's own: another
 * connector owns it, or it exists and no connector owns it.
 */
export interface TableConflict {
  /** The connector's source table that lands there (`public.notes`). */
  readonly sourceTable: string;
  readonly schema: string;
  readonly table: string;
  /** The connector that owns the table, or null when it exists and no connector owns it. */
  readonly owner: string | null;
  /** The owner's source table that lands there; null when unowned. */
  readonly ownerSourceTable: string | null;
  /**
   * What a start does about it: `refuse` (another connector owns it, or it is unowned and the
   * connector's `existingTables` policy is FAIL); `truncate` or `append` (the policy takes the
   * unowned table over); `adopt` (NEVER: an unowned table is taken over as it is, by design).
   */
  readonly resolution: 'refuse' | 'truncate' | 'append' | 'adopt';
}

/**
 * A start (or a claim in a snapshot or schema change) refused because of conflicting destination
 * tables. A configuration error, never transient: the connector's error strategy decides (EXIT
 * stops). The message names every table, both connectors, and how to map the table elsewhere.
 */
export class TableConflictError extends InvalidInputError {
  constructor(
    readonly connector: string,
    readonly conflicts: readonly TableConflict[],
  ) {
    super(conflicts.map((conflict) => describeConflict(connector, conflict)).join('; '));
    this.name = 'TableConflictError';
  }
}

/** One conflict in words, with the statement that resolves it. */
export function describeConflict(connector: string, conflict: TableConflict): string {
  const destination = `${conflict.schema}.${conflict.table}`;
  const remap = `addObjectMapping(connector: ${JSON.stringify(connector)}, kind: TABLE, source: ${JSON.stringify(conflict.sourceTable)}, destination: ${JSON.stringify(suggestedDestination(connector, conflict))})`;
  if (conflict.owner === connector) {
    return (
      `source tables ${conflict.ownerSourceTable} and ${conflict.sourceTable} of connector "${connector}" would both land in ${destination} — ` +
      `a destination table holds one source table. Map one elsewhere, e.g. ${remap}`
    );
  }
  if (conflict.owner !== null) {
    return (
      `destination table ${destination} belongs to connector "${conflict.owner}" (from its ${conflict.ownerSourceTable}); ` +
      `connector "${connector}" would write ${conflict.sourceTable} into it — a destination table belongs to one connector. ` +
      `Map the table elsewhere, e.g. ${remap}, or delete "${conflict.owner}" to release it`
    );
  }
  return (
    `destination table ${destination} (for ${conflict.sourceTable}) already exists and no connector owns it, ` +
    `and connector "${connector}" has options.existingTables FAIL (the default). ` +
    'Set options.existingTables to TRUNCATE (empty it, then copy into it) or APPEND (copy into it, keeping its rows), ' +
    `drop or rename the table, or map it elsewhere, e.g. ${remap}`
  );
}

/** `<connector>_<schema>.<table>`: a destination no other connector is likely to use. */
function suggestedDestination(connector: string, conflict: TableConflict): string {
  return `${connector.toLowerCase()}_${conflict.schema}.${conflict.table}`;
}
