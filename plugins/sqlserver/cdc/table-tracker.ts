import type { ReadChangesOptions, SchemaChange, SourceTable } from '../../../core/plugin/index.js';
import { qualifiedName } from '../../../core/plugin/kit.js';
import type { QueryRunner } from '../client/sql.js';
import { discoverTables } from '../discover.js';
import { formatLsn } from '../offset.js';
import { capturedShape, type Instance, type InstanceCatalog, loadInstances } from './capture-instances.js';

/** What the table tracker needs of the stream's settings. */
export interface TrackerSettings {
  readonly runner: QueryRunner;
  readonly database: string;
  readonly schema: string;
}

/**
 * The tables the stream reads: the connector's, plus those a DBA enables for CDC while it runs
 * when the connector's selection takes them (all of `schema` for `null`). Such a table arrives as
 * a `create` with its captured shape at its first instance's start, before its first row.
 */
export class TableTracker {
  private readonly tracked: SourceTable[];
  private readonly ignored = new Set<string>();
  private created: Instance[] = [];
  private readonly pending: Instance[] = [];

  constructor(
    private readonly settings: TrackerSettings,
    private readonly options: ReadChangesOptions,
  ) {
    this.tracked = [...options.tables];
  }

  /** The capture instances of the tracked tables, taking in newly enabled selected tables. */
  async instances(signal: AbortSignal): Promise<InstanceCatalog> {
    const { runner, database, schema } = this.settings;
    const catalog = await loadInstances(runner, database, this.tracked, signal);
    const fresh = [...catalog.untracked].filter((name) => !this.ignored.has(name));
    if (fresh.length === 0 || this.options.selection === undefined) return catalog;
    const selected = await discoverTables(runner, database, schema, this.options.selection);
    const added = selected.filter((table) => fresh.includes(qualifiedName(table.ref)));
    for (const name of fresh)
      if (!added.some((table) => qualifiedName(table.ref) === name)) this.ignored.add(name);
    if (added.length === 0) return catalog;
    this.tracked.push(...added);
    const again = await loadInstances(runner, database, this.tracked, signal);
    for (const table of added) {
      const first = again.instances.find(
        (instance) => qualifiedName(instance.table.ref) === qualifiedName(table.ref),
      );
      if (first) this.pending.push(first);
    }
    this.created = [...this.pending];
    return again;
  }

  /** The instances whose tables were just taken in (once). */
  takeCreated(): Instance[] {
    const created = this.created;
    this.created = [];
    return created;
  }

  /** The `create` events due at or before `upTo` (at the first change after `pos` for an instance older than it). */
  *creates(pos: Buffer, upTo: Buffer): Generator<SchemaChange> {
    for (let at = 0; at < this.pending.length; ) {
      const instance = this.pending[at] as Instance;
      if (Buffer.compare(instance.startLsn, upTo) > 0) {
        at += 1;
        continue;
      }
      this.pending.splice(at, 1);
      const offset = Buffer.compare(instance.startLsn, pos) > 0 ? instance.startLsn : upTo;
      yield {
        kind: 'schema',
        action: 'create',
        table: capturedShape(instance),
        commitOffset: formatLsn(offset),
      };
    }
  }
}
