import path from 'node:path';

/** The sections a run can have: PostgreSQL→PostgreSQL and MySQL (MariaDB)→PostgreSQL. */
export const BENCH_SOURCES = ['postgres', 'mysql'] as const;
export type BenchSource = (typeof BENCH_SOURCES)[number];

/** What one benchmark run measures; every size can be lowered through the environment to iterate quickly. */
export interface BenchConfig {
  /** Rows loaded into `public.bench` (BENCH_ROWS, default 1 000 000). */
  readonly rows: number;
  /** Changes in the batched backlog, 100 per transaction (BENCH_CHANGES, default 350 000). */
  readonly batchedChanges: number;
  /** Changes per transaction of the batched backlog (BENCH_CHANGES_PER_TX, default 100). */
  readonly changesPerTx: number;
  /** One-row transactions in the second backlog (BENCH_SINGLE, default 20 000). */
  readonly singleChanges: number;
  /** How long any one measured phase may take before the run fails (BENCH_PHASE_TIMEOUT_S, default 300). */
  readonly phaseTimeoutMs: number;
  /** When set (BENCH_CPU_PROFILE=<dir>), the server runs with `--cpu-prof` and leaves its profile there. */
  readonly cpuProfileDir: string | null;
  /** The sections to run, in this order (BENCH_SOURCES=postgres,mysql, the default). */
  readonly sources: readonly BenchSource[];
  /** The pgloader the MySQL section compares with (BENCH_PGLOADER, default /usr/bin/pgloader). */
  readonly pgloader: string;
}

/** Reads the benchmark's sizes from the environment; throws naming the variable when one is malformed. */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const config: BenchConfig = {
    rows: positiveInt(env, 'BENCH_ROWS', 1_000_000),
    batchedChanges: positiveInt(env, 'BENCH_CHANGES', 350_000),
    changesPerTx: positiveInt(env, 'BENCH_CHANGES_PER_TX', 100),
    singleChanges: positiveInt(env, 'BENCH_SINGLE', 20_000),
    phaseTimeoutMs: positiveInt(env, 'BENCH_PHASE_TIMEOUT_S', 300) * 1000,
    cpuProfileDir: env.BENCH_CPU_PROFILE ? path.resolve(env.BENCH_CPU_PROFILE) : null,
    sources: sourceList(env.BENCH_SOURCES),
    pgloader: env.BENCH_PGLOADER || '/usr/bin/pgloader',
  };
  // Deletes remove original rows from the upper half, updates touch the lower half: they must not meet.
  const deletes = Math.ceil(config.batchedChanges / 7) + Math.ceil(config.singleChanges / 7);
  if (deletes > Math.floor(config.rows / 2)) {
    throw new Error(
      `BENCH_ROWS=${config.rows} is too small for ${deletes} deletes (the backlogs delete one change in seven from the upper half of the table); raise BENCH_ROWS or lower BENCH_CHANGES/BENCH_SINGLE`,
    );
  }
  return config;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** BENCH_SOURCES: a comma-separated subset of BENCH_SOURCES (any order; run in the canonical order). */
function sourceList(text: string | undefined): readonly BenchSource[] {
  if (text === undefined || text.trim() === '') return BENCH_SOURCES;
  const named = text.split(',').map((name) => name.trim().toLowerCase());
  for (const name of named) {
    if (!(BENCH_SOURCES as readonly string[]).includes(name)) {
      throw new Error(
        `BENCH_SOURCES must name some of ${BENCH_SOURCES.join(', ')}, got ${JSON.stringify(text)}`,
      );
    }
  }
  return BENCH_SOURCES.filter((source) => named.includes(source));
}
