import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectorService } from '../connectors/connector-service.js';
import { HistoryLostError, SourceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MappingStore } from '../mappings/mapping-store.js';
import { remapTables } from '../mappings/remap-tables.js';
import type { SnapshotMode } from '../plugin/source-plugin.js';
import type { TargetDatabase } from '../target/target-database.js';
import type { ConnectorEvents } from './connector-events.js';
import { connectorTargets } from './connector-targets.js';
import type { JobContext } from './job-context.js';
import { checkTableOwnership } from './ownership-check.js';
import type { ProgressStore } from './progress-store.js';
import { retryDelayMs } from './retry-backoff.js';
import { runSnapshot } from './snapshot-phase.js';
import { SnapshotProgress } from './snapshot-progress.js';
import { discoverAndCheck } from './start-checks.js';
import { planStart } from './start-plan.js';
import type { StateStore } from './state-store.js';
import type { StatsStore } from './stats-store.js';
import { runStream } from './stream-phase.js';
import { isTransientError } from './transient-error.js';

export interface JobDependencies {
  readonly connectors: ConnectorService;
  readonly state: StateStore;
  readonly progress: ProgressStore;
  readonly stats: StatsStore;
  readonly events: ConnectorEvents;
  readonly mappings: MappingStore;
  readonly db: TargetDatabase;
  readonly log: Logger;
}

/** How a job ended: stopped from outside, paused itself (SCHEMASYNC), finished (INITIAL_ONLY), failed. */
export type JobOutcome = 'stopped' | 'paused' | 'finished' | 'failed';

/**
 * The running replication of one connector: check, snapshot, stream. The job's error boundary:
 * a failure never escapes; it is shown in the connector's state. A connectivity failure (see
 * `isTransientError`: source or target refused, reset, shut down, timed out) is retried with
 * back-off whatever the error strategy; anything else follows the connector's error strategy
 * (RETRY: back off and start again; EXIT and SKIP: stop with the error and `active` false, so the
 * server does not relaunch it). The back-off restarts from 1 s once the job is streaming again.
 */
export class ConnectorJob {
  readonly done: Promise<JobOutcome>;
  /** Live progress of the job's snapshot (the table being copied, its uncommitted rows, rate). */
  readonly snapshot = new SnapshotProgress();
  private readonly controller = new AbortController();
  /** Failures since the job last reached streaming; sets the back-off. */
  private failures = 0;
  private readonly log: Logger;

  /**
   * @param onEnd called once, before a job that ends by itself (failed, paused by SCHEMASYNC,
   *   finished) writes its final state, so the engine never sees a finished job as running.
   */
  constructor(
    private readonly deps: JobDependencies,
    readonly name: string,
    readonly mode: SnapshotMode,
    private readonly onEnd: () => void,
  ) {
    this.log = deps.log.child({ connector: name });
    // the boundary's own writes can fail too (the target is down): the job still ends, never rejects
    this.done = this.run(mode).catch((error: unknown) => {
      this.log.error({ err: error }, 'connector job failed while recording its failure');
      return 'failed' as const;
    });
  }

  /** Stops the job and waits until its connections are closed; uncommitted work is rolled back. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private async run(mode: SnapshotMode): Promise<JobOutcome> {
    const { signal } = this.controller;
    for (let current = mode; ; ) {
      try {
        return await this.runOnce(current);
      } catch (error) {
        if (signal.aborted) return 'stopped';
        const message = (error as Error).message ?? String(error);
        const transient = isTransientError(error);
        this.log.error({ err: error, transient }, 'connector failed');
        // an unreadable strategy means the target is unreachable: that is transient too
        const strategy = await this.deps.connectors.require(this.name).then(
          (record) => record.errorStrategy,
          () => undefined,
        );
        if (!transient && strategy !== undefined && strategy !== 'retry') {
          // stopped by a failure that retrying does not cure: not relaunched with the server
          await this.deps.state.setActive(this.name, false);
          this.onEnd();
          await this.deps.state.update(this.name, { state: 'stopped', error: message });
          return 'failed';
        }
        if (error instanceof HistoryLostError) await this.deps.state.resetCapture(this.name);
        this.deps.events.restarting(this.name);
        await this.deps.state
          .update(this.name, { state: 'restarting', error: message })
          .catch((cause: unknown) => this.log.warn({ err: cause }, 'recording the failure failed'));
        await sleep(retryDelayMs(this.failures++), undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return 'stopped';
        current = current === 'always' ? 'initial' : current;
      }
    }
  }

  private async runOnce(mode: SnapshotMode): Promise<JobOutcome> {
    const { deps, name } = this;
    const { record, plugin, config } = await deps.connectors.resolve(name);
    // a retry stays RESTARTING (with the error that caused it) until it streams again
    await deps.state.update(name, { state: this.failures === 0 ? 'initializing' : 'restarting' });
    const signal = this.controller.signal;
    const connection = await plugin.connect(config, {
      connectorName: name,
      log: pluginLogger(this.log),
      signal,
    });
    try {
      // every phase boundary: a stop that came meanwhile ends the job here (see onAbort)
      signal.throwIfAborted();
      const tables = await discoverAndCheck(connection, record, signal);
      signal.throwIfAborted();
      const { targets, resolve: resolveTarget } = await connectorTargets(deps, plugin, record, tables, {
        confine: true,
      });
      const remapped = await deps.db.transaction((client) => remapTables(client, name, targets.values()));
      for (const change of remapped.changes) this.log.info({ change }, 'mapping rules applied to a table');
      for (const { landed, message } of remapped.failures) {
        this.log.warn({ reason: message }, 'mapping rules not applied; the table stays as it is');
        targets.set(landed.sourceName, landed);
      }
      await checkTableOwnership(deps.db, record, mode, targets.values());
      signal.throwIfAborted();
      const context: JobContext = {
        record,
        plugin,
        connection,
        signal,
        targets,
        resolveTarget,
        db: deps.db,
        state: deps.state,
        progress: deps.progress,
        stats: deps.stats,
        events: deps.events,
        log: this.log,
        snapshot: this.snapshot,
        reportCopied: (rows) => this.snapshot.copied(rows),
      };
      const plan = planStart(
        mode,
        await deps.state.position(name),
        await deps.progress.tables(name),
        [...targets.values()],
        record.snapshotTables,
      );
      if (mode === 'always')
        await deps.progress.forget(
          name,
          plan.copy.map((table) => table.sourceName),
        );
      // CHANGE_DATA_CAPTURE is announced only once the capture point is recorded (below)
      if (plan.copy.length > 0 || plan.createOnly.length > 0) {
        await deps.state.update(name, { stage: plan.stage, state: 'polling', error: null });
      }
      await runSnapshot(context, plan);
      signal.throwIfAborted();
      if (mode !== 'never') await deps.state.update(name, { snapshotDone: true });
      if (plan.pauseAfter) {
        this.onEnd();
        await deps.state.update(name, { stage: 'schema_sync', state: 'paused', paused: true });
        return 'paused';
      }
      if (!plan.cdc) {
        this.onEnd();
        await deps.state.update(name, { state: 'stopped' });
        await deps.state.setActive(name, false);
        return 'finished';
      }
      const position = await deps.state.position(name);
      const from = position.offset ?? position.startOffset;
      if (from === null)
        throw new Error('no stream position is recorded; restart the connector with INITIAL or ALWAYS');
      const copiedAt = new Map(
        [...(await deps.progress.tables(name))].map(([table, p]) => [table, p.snapshotOffset]),
      );
      signal.throwIfAborted();
      await deps.state.update(name, { stage: 'change_data_capture', state: 'polling', error: null });
      this.failures = 0;
      this.log.info({ from }, 'streaming changes');
      await runStream(context, from, copiedAt);
      if (!signal.aborted) throw new SourceUnavailableError('the source ended the change stream');
      return 'stopped';
    } finally {
      await connection
        .close()
        .catch((error: unknown) => this.log.warn({ err: error }, 'closing the source connection failed'));
    }
  }
}

function pluginLogger(log: Logger) {
  return {
    debug: (message: string, fields?: Record<string, unknown>) => log.debug(fields ?? {}, message),
    info: (message: string, fields?: Record<string, unknown>) => log.info(fields ?? {}, message),
    warn: (message: string, fields?: Record<string, unknown>) => log.warn(fields ?? {}, message),
  };
}
