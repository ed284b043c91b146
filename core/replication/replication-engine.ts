import { inject, injectable } from 'tsyringe';
import type { ConnectorInput, ConnectorRecord } from '../connectors/connector-record.js';
import { ConnectorService, type ResolvedConnector } from '../connectors/connector-service.js';
import { InvalidInputError, InvalidStateError, UnsupportedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { MappingStore } from '../mappings/mapping-store.js';
import { remapTables } from '../mappings/remap-tables.js';
import type { SnapshotMode } from '../plugin/source-plugin.js';
import type { TargetDatabase } from '../target/target-database.js';
import { LOGGER, TARGET_DATABASE } from '../tokens.js';
import { type CaptureRemoval, removeCapture } from './capture-removal.js';
import { type ConnectorCheck, checkConnector } from './connector-check.js';
import { ConnectorEvents } from './connector-events.js';
import { ConnectorJob, type JobDependencies } from './connector-job.js';
import { connectorTargets } from './connector-targets.js';
import { inJobScope, type JobScope } from './job-scope.js';
import { ProgressStore } from './progress-store.js';
import type { SnapshotProgress } from './snapshot-progress.js';
import { StateStore } from './state-store.js';
import { StatsStore } from './stats-store.js';

const DROP_CAPTURE_TIMEOUT_MS = 15_000;
const RELOAD_TIMEOUT_MS = 60_000;
const CHECK_TIMEOUT_MS = 30_000;

/**
 * Runs one job per started connector and carries out the lifecycle mutations. Operations on one
 * connector are serialised, so a stop never races a start.
 */
@injectable()
export class ReplicationEngine {
  private readonly jobs = new Map<string, ConnectorJob>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly scopes = new WeakMap<ConnectorJob, JobScope>();
  private readonly deps: JobDependencies;

  constructor(
    @inject(ConnectorService) private readonly connectors: ConnectorService,
    @inject(StateStore) private readonly state: StateStore,
    @inject(ProgressStore) progress: ProgressStore,
    @inject(StatsStore) private readonly stats: StatsStore,
    @inject(ConnectorEvents) events: ConnectorEvents,
    @inject(TARGET_DATABASE) private readonly db: TargetDatabase,
    @inject(MappingStore) mappings: MappingStore,
    @inject(LOGGER) private readonly log: Logger,
  ) {
    this.deps = { connectors, state, progress, stats, events, mappings, db, log };
  }

  /** The live snapshot progress of the connector's running job; undefined when none runs. */
  snapshotProgress(name: string): SnapshotProgress | undefined {
    return this.jobs.get(name)?.snapshot;
  }

  /** The live snapshot progress of every running job, by connector name. */
  snapshots(): Map<string, SnapshotProgress> {
    return new Map([...this.jobs].map(([name, job]) => [name, job.snapshot]));
  }

  isRunning(name: string): boolean {
    return this.jobs.has(name);
  }

  start(name: string, mode: SnapshotMode = 'initial'): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      await this.requireMode(name, mode);
      if (this.jobs.has(name)) {
        throw new InvalidStateError(
          `connector "${name}" is already running; stop it first, or use restartConnector`,
        );
      }
      await this.launch(name, mode);
      return this.connectors.require(name);
    });
  }

  stop(name: string): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      await this.connectors.require(name);
      await this.jobs.get(name)?.stop();
      await this.state.setActive(name, false);
      await this.state.update(name, { state: 'stopped', paused: false });
      return this.connectors.require(name);
    });
  }

  pause(name: string): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      await this.connectors.require(name);
      const job = this.jobs.get(name);
      if (!job)
        throw new InvalidStateError(
          `connector "${name}" is not running; only a running connector can be paused`,
        );
      await job.stop();
      await this.state.update(name, { state: 'paused', paused: true });
      return this.connectors.require(name);
    });
  }

  resume(name: string): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      await this.connectors.require(name);
      const { paused } = await this.state.position(name);
      if (!paused || this.jobs.has(name)) {
        throw new InvalidStateError(
          `connector "${name}" is not paused; resume applies to a paused connector`,
        );
      }
      await this.launch(name, 'initial');
      return this.connectors.require(name);
    });
  }

  /** Stops the connector if running, re-reads its settings and starts it in `mode`. */
  restart(name: string, mode: SnapshotMode = 'initial'): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      await this.requireMode(name, mode);
      const job = this.jobs.get(name);
      if (job) {
        await this.state.update(name, { state: 'restarting' });
        await job.stop();
      }
      await this.launch(name, mode);
      return this.connectors.require(name);
    });
  }

  setOffset(name: string, offset: string): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      const { plugin } = await this.connectors.resolve(name);
      const { paused } = await this.state.position(name);
      if (!paused || this.jobs.has(name)) {
        throw new InvalidStateError(`setOffset needs a paused connector; pause "${name}" first`);
      }
      const problem = plugin.validateOffset(offset);
      if (problem) throw new InvalidInputError(`offset ${JSON.stringify(offset)} is not valid: ${problem}`);
      await this.state.update(name, { state: 'updating_offset' });
      await this.state.overwriteOffset(name, offset);
      await this.state.update(name, { state: 'paused' });
      return this.connectors.require(name);
    });
  }

  resetStats(name: string): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      await this.connectors.require(name);
      await this.stats.reset(name);
      return this.connectors.require(name);
    });
  }

  /**
   * Applies the connector's current mapping rules to the tables it already built: moves and
   * renames tables, renames columns, changes column types (see `remapTables`). A running connector
   * is stopped at its last commit, remapped, and started again from its committed offset, so no
   * change is lost, doubled or reordered; a paused or stopped one stays so. When a change cannot be
   * made (data that does not convert), nothing changes and the error (INVALID_INPUT) names the
   * table and the change; a running connector goes on with the tables as they were.
   */
  reloadMappings(name: string): Promise<ConnectorRecord> {
    return this.serialise(name, async () => {
      const { record, plugin, config } = await this.connectors.resolve(name);
      const job = this.jobs.get(name);
      const before = await this.state.state(name);
      await this.state.update(name, { state: 'reloading_objmap' });
      try {
        await job?.stop();
        const connection = await plugin.connect(config, {
          connectorName: name,
          log: silentLog,
          signal: AbortSignal.timeout(RELOAD_TIMEOUT_MS),
        });
        try {
          const tables = await connection.discover(record.tables);
          const { targets } = await connectorTargets(this.deps, plugin, record, tables, { confine: true });
          const { changes } = await this.db.transaction(async (client) => {
            const result = await remapTables(client, name, targets.values());
            const problems = result.failures.map((failure) => failure.message);
            if (problems.length > 0) {
              throw new InvalidInputError(
                `${problems.join('; ')}; nothing was changed — fix the data, or change or disable the rule, then reload again`,
              );
            }
            return result;
          });
          this.log.info({ connector: name, changes }, 'mapping rules reloaded');
        } finally {
          await connection.close().catch(() => undefined);
        }
      } finally {
        if (job) await this.launch(name, job.mode === 'always' ? 'initial' : job.mode);
        else await this.state.update(name, { state: before?.state ?? 'stopped' });
      }
      return this.connectors.require(name);
    });
  }

  /** A dry run of a start (see `checkConnector`): writes nothing; may run beside a running job. */
  async check(name: string): Promise<ConnectorCheck> {
    return this.dryRun(await this.connectors.resolve(name), true);
  }

  /**
   * The same dry run for a connector not saved yet: `input` is validated as `addConnector` would
   * validate it (see `ConnectorService.resolveUnsaved`), and neither it nor anything else is saved.
   */
  async checkSettings(input: ConnectorInput): Promise<ConnectorCheck> {
    return this.dryRun(await this.connectors.resolveUnsaved(input), false);
  }

  private dryRun(resolved: ResolvedConnector, saved: boolean): Promise<ConnectorCheck> {
    return checkConnector(resolved, this.deps, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS), saved });
  }

  /**
   * Stops the connector, removes what it created at the source (slot, publication) and its
   * metadata. The source is reached only when the plugin may have created something there (see
   * `removeCapture`); when it cannot be reached the connector is kept unless `force` is set,
   * because a forgotten slot makes the source keep its history forever. Answers what was left
   * behind at the source, with the statements that drop it.
   */
  delete(name: string, force = false): Promise<CaptureRemoval> {
    return this.serialise(name, async () => {
      await this.connectors.require(name);
      // settings that no longer parse (or a plugin no longer installed) cannot reach the source
      const resolved = await this.connectors.resolve(name).catch((error: unknown) => {
        if (!force) throw error;
        this.log.warn(
          { connector: name, err: error },
          'deleting with force a connector whose settings cannot be used',
        );
        return undefined;
      });
      await this.jobs.get(name)?.stop();
      const { offset, startOffset } = await this.state.position(name);
      const removal: CaptureRemoval =
        resolved === undefined
          ? { leftBehind: [], unknownLeftovers: true }
          : await removeCapture(resolved, {
              force,
              captureRecorded: offset !== null || startOffset !== null,
              signal: AbortSignal.timeout(DROP_CAPTURE_TIMEOUT_MS),
              log: this.log,
            });
      await this.connectors.delete(name);
      return removal;
    });
  }

  /**
   * Stops the job run `scope` after an error escaped it (an unhandled rejection or exception traced
   * to it; see `currentJob`): it ends STOPPED with the error and no longer active, like a job that
   * stops on a failure. Does nothing when that run has ended already.
   */
  failEscaped(scope: JobScope, error: unknown): Promise<void> {
    const name = scope.connector;
    return this.serialise(name, async () => {
      const job = this.jobs.get(name);
      if (!job || this.scopes.get(job) !== scope) return;
      await job.stop();
      await this.state.setActive(name, false);
      const message = (error as Error)?.message ?? String(error);
      await this.state.update(name, {
        state: 'stopped',
        error: `stopped after an unexpected error: ${message}`,
      });
    });
  }

  /** At server start: starts every active connector again; a paused one stays paused. */
  async relaunch(): Promise<void> {
    for (const connector of await this.connectors.list()) {
      if (!connector.active) continue;
      const { paused } = await this.state.position(connector.name);
      if (paused) await this.state.update(connector.name, { state: 'paused' });
      else await this.serialise(connector.name, () => this.launch(connector.name, 'initial'));
    }
  }

  /** Stops every job (their `active` flags stay, so they come back with the server). */
  async shutdown(): Promise<void> {
    const names = [...this.jobs.keys()];
    await Promise.all(
      names.map((name) =>
        this.serialise(name, async () => {
          await this.jobs.get(name)?.stop();
          await this.state.update(name, { state: 'stopped' }).catch(() => undefined);
        }),
      ),
    );
  }

  private async launch(name: string, mode: SnapshotMode): Promise<void> {
    await this.state.setActive(name, true);
    await this.state.update(name, { paused: false, state: 'initializing', error: null });
    const forget = () => {
      if (this.jobs.get(name) === job) this.jobs.delete(name);
    };
    const scope: JobScope = { connector: name };
    const job: ConnectorJob = inJobScope(scope, () => new ConnectorJob(this.deps, name, mode, forget));
    this.jobs.set(name, job);
    this.scopes.set(job, scope);
    job.done
      .finally(forget)
      .catch((error: unknown) => this.log.error({ connector: name, err: error }, 'job failed'));
  }

  private async requireMode(name: string, mode: SnapshotMode): Promise<void> {
    const { plugin } = await this.connectors.resolve(name);
    if (!plugin.snapshotModes.includes(mode)) {
      throw new UnsupportedError(
        `source type "${plugin.kind}" does not support snapshot mode ${mode.toUpperCase()}; it supports ${plugin.snapshotModes.join(', ').toUpperCase()}`,
      );
    }
  }

  private serialise<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return next;
  }
}

const silentLog = { debug: () => undefined, info: () => undefined, warn: () => undefined };
