import type { ReadChangesOptions, SourceEvent } from '../../core/plugin/index.js';
import { onAbort, qualifiedName } from '../../core/plugin/kit.js';
import { capturedShape, sameTable } from './cdc/capture-instances.js';
import { historyStart } from './cdc/history-start.js';
import { InstanceCursor, mergeCursors } from './cdc/instance-cursor.js';
import { TableTracker } from './cdc/table-tracker.js';
import type { QueryRunner } from './client/sql.js';
import { MAX_LSN } from './client/statements.js';
import { formatLsn, parseLsn } from './offset.js';

/** The LSN after every real one: the open upper bound of the newest instance. */
const LSN_END = Buffer.alloc(10, 0xff);

export interface CdcStreamSettings {
  readonly runner: QueryRunner;
  readonly database: string;
  /** The connector's schema: where bare names and `selection: null` look. */
  readonly schema: string;
  readonly pollIntervalMs: number;
  readonly pageSize: number;
}

/**
 * The change stream: polls `sys.fn_cdc_get_max_lsn()` and reads every captured table's changes in
 * (pos, max] from its capture instances, merged across tables in commit order (start_lsn, seqval,
 * operation) by a k-way merge over keyset pages, so memory holds at most one page per instance.
 * A Checkpoint ends each commit LSN, and one at max_lsn ends each poll window (the capture job
 * harvests in log order, so every commit up to it is in the change tables).
 */
export async function* readCdcChanges(
  settings: CdcStreamSettings,
  from: string,
  options: ReadChangesOptions,
): AsyncGenerator<SourceEvent> {
  const { signal } = options;
  let pos = parseLsn(from);
  const seen = new Map<string, Buffer>();
  const current = new Map<string, string>();
  const tables = new TableTracker(settings, options);
  while (!signal.aborted) {
    const [max] = await settings.runner.query(MAX_LSN, {}, signal);
    const maxLsn = max?.max_lsn;
    if (Buffer.isBuffer(maxLsn) && Buffer.compare(maxLsn, pos) > 0) {
      const catalog = await tables.instances(signal);
      const { instances } = catalog;
      for (const instance of instances) {
        if (!seen.has(instance.name)) seen.set(instance.name, instance.startLsn);
      }
      const cursors: InstanceCursor[] = [];
      for (const [index, instance] of instances.entries()) {
        const next = instances.slice(index + 1).find((other) => sameTable(other, instance));
        const until = next ? next.startLsn : LSN_END;
        if (Buffer.compare(until, pos) <= 0) continue;
        const fromLsn = await historyStart(settings.runner, instance, pos, seen, catalog.oldestStart, signal);
        if (Buffer.compare(fromLsn, maxLsn) > 0) continue;
        const window = { from: fromLsn, to: maxLsn, pos, until };
        cursors.push(new InstanceCursor(settings.runner, instance, window, settings.pageSize, signal));
        const key = qualifiedName(instance.table.ref);
        if (!current.has(key) && Buffer.compare(instance.startLsn, pos) <= 0) current.set(key, instance.name);
      }
      for (const instance of tables.takeCreated())
        current.set(qualifiedName(instance.table.ref), instance.name);
      const creates = (upTo: Buffer) => tables.creates(pos, upTo);
      let lastLsn: Buffer | undefined;
      for await (const entry of mergeCursors(cursors)) {
        if (lastLsn && !lastLsn.equals(entry.lsn)) yield { kind: 'checkpoint', offset: formatLsn(lastLsn) };
        yield* creates(entry.lsn);
        lastLsn = entry.lsn;
        const commitOffset = formatLsn(entry.lsn);
        const key = qualifiedName(entry.instance.table.ref);
        if (current.get(key) !== entry.instance.name) {
          if (current.has(key)) {
            yield { kind: 'schema', action: 'alter', table: capturedShape(entry.instance), commitOffset };
          }
          current.set(key, entry.instance.name);
        }
        yield {
          kind: 'change',
          op: entry.op,
          table: entry.instance.table.ref,
          ...(entry.before ? { before: entry.before } : {}),
          ...(entry.after ? { after: entry.after } : {}),
          commitOffset,
        };
      }
      if (signal.aborted) return;
      if (lastLsn) yield { kind: 'checkpoint', offset: formatLsn(lastLsn) };
      yield* creates(maxLsn);
      if (!lastLsn || Buffer.compare(maxLsn, lastLsn) > 0)
        yield { kind: 'checkpoint', offset: formatLsn(maxLsn) };
      pos = maxLsn;
      continue;
    }
    await sleep(settings.pollIntervalMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    const stop = onAbort(signal, done);
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}
