import type { ConnectorRecord } from '../connectors/connector-record.js';
import type { Logger } from '../logger.js';
import { MappingRules } from '../mappings/mapping-rules.js';
import type { MappingStore } from '../mappings/mapping-store.js';
import { type ResolvedTargets, resolveTargets } from '../mappings/resolve-target-table.js';
import { confineTransforms } from '../mappings/transform-guard.js';
import { knownColumns, unmatchedRules } from '../mappings/unmatched-rules.js';
import { sourceNaming } from '../plugin/object-names.js';
import type { SourcePlugin } from '../plugin/source-plugin.js';
import type { SourceTable } from '../plugin/source-table.js';
import type { TargetDatabase } from '../target/target-database.js';

export interface TargetsNeeds {
  readonly mappings: MappingStore;
  readonly db: TargetDatabase;
  readonly log: Logger;
}

/**
 * Where the connector's discovered tables land under its enabled mapping rules: the one place a
 * start, a mapping reload and a dry run resolve them. Rules that match nothing are logged; with
 * `confine` (a start, a reload) every TRANSFORM rule is checked to be a pure expression of the
 * value first, and a refused one throws (INVALID_INPUT) before anything runs.
 */
export async function connectorTargets(
  needs: TargetsNeeds,
  plugin: SourcePlugin,
  record: ConnectorRecord,
  tables: readonly SourceTable[],
  { confine }: { confine: boolean },
): Promise<ResolvedTargets> {
  const list = await needs.mappings.rules(record.name);
  for (const { rule, reason } of unmatchedRules(list, knownColumns(tables), record.database)) {
    needs.log.warn(
      { connector: record.name, kind: rule.kind, source: rule.source, reason },
      'mapping rule matches nothing',
    );
  }
  const rules = new MappingRules(list, sourceNaming(plugin, record.database));
  const resolved = resolveTargets(plugin, tables, record.letterCasing, rules);
  if (confine) await confineTransforms(needs.db, list, resolved.targets.values());
  return resolved;
}
