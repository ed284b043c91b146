import type { BacklogPlan } from './bench-data.js';
import {
  cpu,
  int,
  mb,
  STATEMENTS_HEADING,
  secs,
  statementsBlock,
  table,
  targetsTable,
  times,
  verdict,
} from './report-format.js';
import type { StatementStat } from './statement-stats.js';

/** CPU seconds spent during one timed phase, per process group. */
export interface PhaseCpu {
  readonly tributary: number | null;
  readonly source: number;
  readonly target: number;
  /** Everything else the machine ran meanwhile: the bench itself, psql, and anything not ours. */
  readonly other: number;
}

export interface Measured {
  readonly seconds: number;
  readonly cpu: PhaseCpu;
}

/** Statements Tributary's target database ran during a phase (pg_stat_statements). */
export interface PhaseStatements {
  readonly calls: number;
  readonly top: readonly StatementStat[];
}

export interface TributarySnapshot extends Measured {
  readonly setupSeconds: number;
  readonly copySeconds: number;
  readonly peakRssMb: number | null;
  readonly statements: PhaseStatements;
}

export interface TributaryApply extends Measured {
  /** Target commits (batches) the connector made for the backlog. */
  readonly commits: number;
  readonly peakRssMb: number | null;
  readonly statements: PhaseStatements;
}

export interface SnapshotResults {
  readonly rows: number;
  readonly pipe: Measured;
  readonly native: Measured;
  readonly tributary: TributarySnapshot | null;
}

export interface ApplyResults {
  readonly plan: BacklogPlan;
  readonly generateSeconds: number;
  readonly native: Measured;
  readonly tributary: TributaryApply | null;
}

export interface BenchResults {
  readonly snapshot: SnapshotResults;
  readonly batched: ApplyResults;
  readonly single: ApplyResults;
  /** Highest VmHWM of the server process over the run. */
  readonly peakRssMb: number | null;
  /** Why Tributary was not measured, or null when it was. */
  readonly tributaryMissing: string | null;
}

const startedAt = performance.now();

/** A progress line, prefixed with the seconds since the run began. */
export function progress(line: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${seconds}s] ${line}\n`);
}

function snapshotSection({ rows, pipe, native, tributary }: SnapshotResults): string {
  const row = (name: string, seconds: number) => [
    name,
    secs(seconds),
    int(rows / seconds),
    times(seconds / pipe.seconds),
    times(seconds / native.seconds),
  ];
  const lines = [
    row('psql COPY binary | psql COPY binary', pipe.seconds),
    row('native logical replication (initial sync)', native.seconds),
    tributary
      ? row('Tributary (startConnector INITIAL)', tributary.seconds)
      : ['Tributary (not measured)', '-', '-', '-', '-'],
  ];
  const detail = tributary
    ? `\n  Tributary: ${secs(tributary.setupSeconds)} s from startConnector to the copy starting (connect, checks, slot), ` +
      `${secs(tributary.copySeconds)} s copying (snapshotBeginTs..snapshotEndTs).`
    : '';
  return `Snapshot of public.bench (${int(rows)} rows); ratios are time / baseline time (lower is better)\n${table(
    ['method', 'seconds', 'rows/s', 'vs psql pipe', 'vs native'],
    lines,
  )}${detail}`;
}

function applySection(results: readonly ApplyResults[]): string {
  const rows = results.map(({ plan, generateSeconds, native, tributary }) => {
    const nativeRate = plan.changes / native.seconds;
    const tributaryRate = tributary ? plan.changes / tributary.seconds : null;
    return [
      plan.label,
      `${int(plan.changes)} (${int(plan.updates)}U/${int(plan.inserts)}I/${int(plan.deletes)}D)`,
      int(plan.transactions),
      secs(generateSeconds),
      secs(native.seconds),
      int(nativeRate),
      tributary ? secs(tributary.seconds) : '-',
      tributaryRate === null ? '-' : int(tributaryRate),
      tributaryRate === null ? '-' : times(tributaryRate / nativeRate),
      tributary ? int(tributary.commits) : '-',
    ];
  });
  return `CDC backlog apply (backlog generated while both were paused; ratio is Tributary rate / native rate, higher is better)\n${table(
    [
      'workload',
      'changes',
      'txns',
      'gen s',
      'native s',
      'native ch/s',
      'Tributary s',
      'Tributary ch/s',
      'ratio',
      'Tributary commits',
    ],
    rows,
  )}`;
}

function cpuSection(results: BenchResults): string {
  const { snapshot, batched, single } = results;
  const row = (name: string, measured: Measured | null) =>
    measured
      ? [
          name,
          secs(measured.seconds),
          cpu(measured.cpu.tributary),
          cpu(measured.cpu.source),
          cpu(measured.cpu.target),
          cpu(measured.cpu.other),
        ]
      : [`${name} (not measured)`, '-', '-', '-', '-', '-'];
  return `Where the time went: CPU seconds used during each timed phase (2 cores: 2 CPU s per wall second at most)\n${table(
    ['phase', 'wall s', 'Tributary node', 'source PG', 'target PG', 'rest of machine'],
    [
      row('snapshot: psql pipe', snapshot.pipe),
      row('snapshot: native', snapshot.native),
      row('snapshot: Tributary', snapshot.tributary),
      row(`${batched.plan.label}: native`, batched.native),
      row(`${batched.plan.label}: Tributary`, batched.tributary),
      row(`${single.plan.label}: native`, single.native),
      row(`${single.plan.label}: Tributary`, single.tributary),
    ],
  )}\n  ("rest of machine" is psql, the bench itself and any other work on the machine: a large value means the phase was disturbed.)`;
}

function statementsSection(results: BenchResults): string {
  const phases = [
    ['snapshot', results.snapshot.tributary],
    [results.batched.plan.label, results.batched.tributary],
    [results.single.plan.label, results.single.tributary],
  ] as const;
  const blocks = phases.flatMap(([name, measured]) =>
    measured ? [statementsBlock(name, measured.seconds, measured.statements)] : [],
  );
  if (blocks.length === 0) return '';
  return `${STATEMENTS_HEADING}\n${blocks.join('\n\n')}`;
}

function targetsSection(results: BenchResults): string {
  const { snapshot, batched, peakRssMb } = results;
  const snapshotRatio = snapshot.tributary ? snapshot.tributary.seconds / snapshot.pipe.seconds : null;
  const applyRatio = batched.tributary ? batched.native.seconds / batched.tributary.seconds : null;
  const rows = [
    [
      'snapshot time <= 1.25x psql COPY pipe',
      snapshotRatio === null ? 'n/a' : times(snapshotRatio),
      verdict(snapshotRatio === null ? null : snapshotRatio <= 1.25),
    ],
    [
      'batched CDC apply rate >= 1.0x native',
      applyRatio === null ? 'n/a' : times(applyRatio),
      verdict(applyRatio === null ? null : applyRatio >= 1.0),
    ],
  ];
  return targetsTable(rows, peakRssMb, results.tributaryMissing);
}

/** The PostgreSQL section of the report: the snapshot, CDC, CPU, statements and target tables. */
export function renderReport(results: BenchResults): string {
  const rss = results.snapshot.tributary
    ? `\nPeak RSS of the Tributary server: snapshot phase ${mb(results.snapshot.tributary.peakRssMb)}, ` +
      `batched apply ${mb(results.batched.tributary?.peakRssMb ?? null)}, single-row apply ${mb(
        results.single.tributary?.peakRssMb ?? null,
      )}; overall ${mb(results.peakRssMb)}.`
    : '';
  return [
    snapshotSection(results.snapshot),
    applySection([results.batched, results.single]),
    `${cpuSection(results)}${rss}`,
    statementsSection(results),
    targetsSection(results),
  ]
    .filter((section) => section !== '')
    .join('\n\n');
}
