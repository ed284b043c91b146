import type { ResolvedConnector } from '../connectors/connector-service.js';
import { describeUnknownTable, findUnknownTables, type UnknownTable } from '../connectors/unknown-tables.js';
import { prerequisiteCheck } from '../plugin/prerequisite-check.js';
import type { PrerequisiteCheck } from '../plugin/source-connection.js';
import { errorMessage } from '../plugin/source-errors.js';
import { describeConflict, type TableConflict } from '../target/table-conflict-error.js';
import type { TargetTable } from '../target/target-table.js';
import { connectorTargets, type TargetsNeeds } from './connector-targets.js';
import { ownershipConflicts } from './ownership-check.js';

/** What a start of the connector would find and do, as `checkConnector` reports it. */
export interface ConnectorCheck {
  /** True when every check passed: a start would get past its checks. */
  readonly ok: boolean;
  /**
   * The connection, the plugin's prerequisite checks, `tables` (the selection), then
   * `destination` (tables another connector owns, or existing tables the policy refuses).
   */
  readonly checks: readonly PrerequisiteCheck[];
  readonly unknownTables: readonly UnknownTable[];
  /** The tables a start would replicate, where they would land and with which columns and types. */
  readonly tables: readonly TargetTable[];
}

export interface CheckOptions {
  readonly signal: AbortSignal;
  /**
   * Whether the connector is saved: its hints then say to change it with updateConnector; those
   * of settings not saved yet say to correct the settings before addConnector.
   */
  readonly saved: boolean;
}

/**
 * A dry run of a start: connects, runs the plugin's prerequisite checks and discovery, compares
 * the selection with what exists, and resolves each table's destination under the mapping rules
 * — the same steps a start takes before it creates anything. Writes nothing, at the source or the
 * destination; never throws for what it finds (an unreachable source is a failed `connection`
 * check). May run while the connector itself runs. The connector need not be saved (see
 * `ConnectorService.resolveUnsaved`): its name then has no mapping rules and owns no table.
 */
export async function checkConnector(
  { record, plugin, config }: ResolvedConnector,
  needs: TargetsNeeds,
  { signal, saved }: CheckOptions,
): Promise<ConnectorCheck> {
  const log = { debug: () => undefined, info: () => undefined, warn: () => undefined };
  const fix = saved ? 'with updateConnector' : 'in the settings, then addConnector';
  let connection: Awaited<ReturnType<typeof plugin.connect>>;
  try {
    connection = await plugin.connect(config, { connectorName: record.name, log, signal });
  } catch (error) {
    const failed = prerequisiteCheck('connection', false, errorMessage(error), {
      hint: `correct host, port, user, password or database ${fix}`,
    });
    return { ok: false, checks: [failed], unknownTables: [], tables: [] };
  }
  try {
    const discovered = await connection.discover(record.tables);
    const unknownTables = await findUnknownTables(connection, record, discovered);
    const prerequisites = await connection.check(discovered.length > 0 ? discovered : undefined);
    const { targets } = await connectorTargets(needs, plugin, record, discovered, { confine: false });
    const checks = [
      prerequisiteCheck('connection', true, `connected to ${config.host}:${config.port}/${config.database}`),
      ...prerequisites.filter((check) => check.name !== 'connection' || !check.ok),
      selectionCheck(discovered.length, unknownTables, record.tables, fix),
      destinationCheck(record.name, await ownershipConflicts(needs.db, record, 'initial', targets.values())),
    ];
    return { ok: checks.every((check) => check.ok), checks, unknownTables, tables: [...targets.values()] };
  } catch (error) {
    const failed = prerequisiteCheck('discovery', false, errorMessage(error), {
      hint: 'check that the user may read the catalog of the source database',
    });
    return { ok: false, checks: [failed], unknownTables: [], tables: [] };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function selectionCheck(
  found: number,
  unknown: readonly UnknownTable[],
  tables: readonly string[] | null,
  fix: string,
): PrerequisiteCheck {
  if (unknown.length > 0) {
    return prerequisiteCheck('tables', false, unknown.map(describeUnknownTable).join('; '), {
      hint: `correct tables / snapshotTables ${fix}`,
    });
  }
  if (found === 0) {
    const what =
      tables === null ? 'the source database/schema has no table the user can read' : 'no table selected';
    return prerequisiteCheck('tables', false, what, {
      hint: `set tables ${fix}, or grant SELECT`,
    });
  }
  return prerequisiteCheck('tables', true, `${found} table${found === 1 ? '' : 's'} would be replicated`);
}

function destinationCheck(connector: string, conflicts: readonly TableConflict[]): PrerequisiteCheck {
  const refused = conflicts.filter((conflict) => conflict.resolution === 'refuse');
  if (refused.length > 0) {
    return prerequisiteCheck(
      'destination',
      false,
      refused.map((conflict) => describeConflict(connector, conflict)).join('; '),
      { hint: 'map the table elsewhere with addObjectMapping, or set options.existingTables' },
    );
  }
  const takenOver = conflicts.map(
    (conflict) =>
      `${conflict.schema}.${conflict.table} exists and will be taken over (${conflict.resolution.toUpperCase()})`,
  );
  return prerequisiteCheck(
    'destination',
    true,
    takenOver.length > 0 ? takenOver.join('; ') : 'no destination table belongs to another connector',
  );
}
