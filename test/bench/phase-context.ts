import type { BenchDatabase } from './bench-clusters.js';
import { checkpoint } from './bench-clusters.js';
import type { BenchConfig } from './bench-config.js';
import { type CpuMeter, machineBusySeconds } from './process-meter.js';
import type { PhaseCpu, PhaseStatements } from './report.js';
import type { StatementStats } from './statement-stats.js';
import type { TributaryRun } from './tributary-run.js';

/** The process groups whose CPU each timed phase reports. */
export interface BenchMeters {
  /** The source server (a PostgreSQL postmaster and its backends, or mariadbd). */
  readonly source: CpuMeter;
  /** The target PostgreSQL cluster. */
  readonly target: CpuMeter;
  /** The Tributary server; null when it was not measured. */
  readonly tributary: CpuMeter | null;
}

/** What the timed phases of either section (PostgreSQL or MySQL source) work with. */
export interface PhaseContext {
  readonly config: BenchConfig;
  /** Null when the server refused the connector type. */
  readonly tributary: TributaryRun | null;
  readonly meters: BenchMeters;
  /** pg_stat_statements of Tributary's target database. */
  readonly statements: StatementStats;
  /** Databases CHECKPOINTed before each timed phase (one per PostgreSQL cluster is enough). */
  readonly checkpointed: readonly BenchDatabase[];
}

/** Runs `work` and returns its result with the CPU seconds each process group used meanwhile. */
export async function withCpu<T>(context: PhaseContext, work: () => Promise<T>): Promise<[T, PhaseCpu]> {
  const { meters } = context;
  const before = {
    source: await meters.source.read(),
    target: await meters.target.read(),
    tributary: await meters.tributary?.read(),
    machine: machineBusySeconds(),
  };
  const value = await work();
  const machine = machineBusySeconds() - before.machine;
  const source = (await meters.source.read()) - before.source;
  const target = (await meters.target.read()) - before.target;
  const tributary =
    meters.tributary && before.tributary !== undefined
      ? (await meters.tributary.read()) - before.tributary
      : null;
  const other = machine - source - target - (tributary ?? 0);
  const cpu: PhaseCpu = { source, target, tributary, other: Math.max(0, other) };
  return [value, cpu];
}

/** CHECKPOINT on the PostgreSQL clusters before a timed phase, so no checkpoint left over from the last one lands in it. */
export async function quiesce(context: PhaseContext): Promise<void> {
  for (const database of context.checkpointed) await checkpoint(database);
}

/** Runs `work` and returns its result with the statements Tributary's target database ran meanwhile. */
export async function withStatements<T>(
  context: PhaseContext,
  work: () => Promise<T>,
): Promise<[T, PhaseStatements]> {
  await context.statements.reset();
  const value = await work();
  return [value, { calls: await context.statements.totalCalls(), top: await context.statements.top(5) }];
}
