import type { BacklogPlan } from './bench-data.js';
import type { Measured, TributaryApply, TributarySnapshot } from './report.js';
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

/** pgloader's run: wall-clock time, the machine's CPU meanwhile, and pgloader's own CPU. */
export interface PgloaderMeasured extends Measured {
  readonly pgloaderCpu: number;
  /** pgloader's summary table, as it wrote it. */
  readonly summary: string;
  /** Its own "Total import time" (the wall time less starting up). */
  readonly importSeconds: number;
}

export interface MysqlSnapshotResults {
  readonly rows: number;
  /** InnoDB's data + index size of the source table. */
  readonly sourceMb: number;
  /** Null when pgloader is missing (see `pgloaderMissing`). */
  readonly pgloader: PgloaderMeasured | null;
  readonly tributary: TributarySnapshot | null;
  /** The destination's columns as each loader created them. */
  readonly types: { readonly pgloader: string | null; readonly tributary: string | null };
}

export interface MysqlApplyResults {
  readonly plan: BacklogPlan;
  readonly generateSeconds: number;
  readonly tributary: TributaryApply;
}

export interface MysqlBenchResults {
  /** The MariaDB server's version. */
  readonly version: string;
  readonly snapshot: MysqlSnapshotResults;
  /** Null when Tributary was not measured. */
  readonly cdc: MysqlApplyResults | null;
  /** Highest VmHWM of the server process over the section. */
  readonly peakRssMb: number | null;
  readonly tributaryMissing: string | null;
  readonly pgloaderMissing: string | null;
}

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');

/** CPU seconds a copy cost: the loader's own, MariaDB's and the target cluster's. */
const loadCpu = (measured: Measured, loader: number) => loader + measured.cpu.source + measured.cpu.target;

/** The rows/s ratio the issue asks for: Tributary's snapshot at least twice pgloader's rate. */
const SNAPSHOT_TARGET = 2.0;

function snapshotSection({ version, snapshot, pgloaderMissing }: MysqlBenchResults): string {
  const { rows, pgloader, tributary } = snapshot;
  const row = (name: string, measured: Measured | null) =>
    measured
      ? [
          name,
          secs(measured.seconds),
          int(rows / measured.seconds),
          pgloader ? times(pgloader.seconds / measured.seconds) : '-',
        ]
      : [`${name} (not measured)`, '-', '-', '-'];
  const lines = [
    row('pgloader (defaults: 4 workers, index built after the load)', pgloader),
    row('Tributary (startConnector INITIAL, mysql connector)', tributary),
  ];
  const notes = [
    tributary
      ? `  Tributary: ${secs(tributary.setupSeconds)} s from startConnector to the copy starting (connect, checks, binlog position), ` +
        `${secs(tributary.copySeconds)} s copying (snapshotBeginTs..snapshotEndTs).`
      : null,
    pgloader
      ? `  pgloader: ${secs(pgloader.importSeconds)} s by its own "Total import time" (the rest is starting up); its summary:\n${indent(pgloader.summary, 4)}`
      : null,
    pgloaderMissing ? `  pgloader was not measured: ${pgloaderMissing}` : null,
    pgloader && tributary
      ? `  CPU seconds (loader + MariaDB + target PG), less sensitive than wall time to other work on the machine: ` +
        `pgloader ${secs(loadCpu(pgloader, pgloader.pgloaderCpu))}, Tributary ${secs(loadCpu(tributary, tributary.cpu.tributary ?? 0))} ` +
        `(${times(loadCpu(pgloader, pgloader.pgloaderCpu) / loadCpu(tributary, tributary.cpu.tributary ?? 0))} less).`
      : null,
    snapshot.types.pgloader ? `  pgloader created:  ${snapshot.types.pgloader}` : null,
    snapshot.types.tributary ? `  Tributary created: ${snapshot.types.tributary}` : null,
  ].filter((note): note is string => note !== null);
  return `Snapshot of MariaDB ${version} benchsrc.bench (${int(rows)} rows, ${snapshot.sourceMb.toFixed(0)} MB in InnoDB) into PostgreSQL; ratio is rows/s / pgloader's (higher is better)\n${table(
    ['method', 'seconds', 'rows/s', 'vs pgloader'],
    lines,
  )}${notes.length > 0 ? `\n${notes.join('\n')}` : ''}`;
}

function cdcSection(cdc: MysqlApplyResults | null): string {
  if (!cdc) return 'CDC backlog apply: not measured (no Tributary)';
  const { plan, generateSeconds, tributary } = cdc;
  return `CDC backlog apply (binary log backlog generated while the connector was paused; no baseline)\n${table(
    ['workload', 'changes', 'txns', 'gen s', 'Tributary s', 'Tributary ch/s', 'Tributary commits'],
    [
      [
        plan.label,
        `${int(plan.changes)} (${int(plan.updates)}U/${int(plan.inserts)}I/${int(plan.deletes)}D)`,
        int(plan.transactions),
        secs(generateSeconds),
        secs(tributary.seconds),
        int(plan.changes / tributary.seconds),
        int(tributary.commits),
      ],
    ],
  )}`;
}

/**
 * pgloader is a child of the bench, so its CPU lands in "rest of machine" (other); it is moved to
 * the loader column. Tributary's server is metered on its own.
 */
function cpuSection({ snapshot, cdc }: MysqlBenchResults): string {
  const row = (
    name: string,
    measured: Measured | null | undefined,
    loader: number | null,
    inOther: number,
  ) =>
    measured
      ? [
          name,
          secs(measured.seconds),
          cpu(loader),
          cpu(measured.cpu.source),
          cpu(measured.cpu.target),
          cpu(Math.max(0, measured.cpu.other - inOther)),
        ]
      : [`${name} (not measured)`, '-', '-', '-', '-', '-'];
  const { pgloader, tributary } = snapshot;
  return `Where the time went: CPU seconds used during each timed phase\n${table(
    ['phase', 'wall s', 'loader (node / pgloader)', 'MariaDB', 'target PG', 'rest of machine'],
    [
      row('snapshot: pgloader', pgloader, pgloader?.pgloaderCpu ?? null, pgloader?.pgloaderCpu ?? 0),
      row('snapshot: Tributary', tributary, tributary?.cpu.tributary ?? null, 0),
      row(`${cdc?.plan.label ?? 'CDC'}: Tributary`, cdc?.tributary, cdc?.tributary.cpu.tributary ?? null, 0),
    ],
  )}`;
}

function statementsSection({ snapshot, cdc }: MysqlBenchResults): string {
  const blocks = [
    snapshot.tributary
      ? statementsBlock('snapshot', snapshot.tributary.seconds, snapshot.tributary.statements)
      : null,
    cdc ? statementsBlock(cdc.plan.label, cdc.tributary.seconds, cdc.tributary.statements) : null,
  ].filter((block): block is string => block !== null);
  return blocks.length === 0 ? '' : `${STATEMENTS_HEADING}\n${blocks.join('\n\n')}`;
}

function targetsSection(results: MysqlBenchResults): string {
  const { snapshot, cdc, peakRssMb } = results;
  const ratio =
    snapshot.tributary && snapshot.pgloader ? snapshot.pgloader.seconds / snapshot.tributary.seconds : null;
  const rows = [
    [
      `snapshot rows/s >= ${SNAPSHOT_TARGET.toFixed(1)}x pgloader's`,
      ratio === null ? 'n/a' : times(ratio),
      verdict(ratio === null ? null : ratio >= SNAPSHOT_TARGET),
    ],
    [
      `CDC apply rate, ${cdc ? int(cdc.plan.changes) : '-'} changes (reported, no target)`,
      cdc ? `${int(cdc.plan.changes / cdc.tributary.seconds)}/s` : 'n/a',
      '-',
    ],
  ];
  return targetsTable(rows, peakRssMb, results.tributaryMissing);
}

/** The MySQL section of the report: snapshot against pgloader, CDC rate, CPU, statements and targets. */
export function renderMysqlReport(results: MysqlBenchResults): string {
  const rss = results.snapshot.tributary
    ? `\nPeak RSS of the Tributary server: snapshot phase ${mb(results.snapshot.tributary.peakRssMb)}, ` +
      `CDC apply ${mb(results.cdc?.tributary.peakRssMb ?? null)}; overall ${mb(results.peakRssMb)}.`
    : '';
  return [
    snapshotSection(results),
    cdcSection(results.cdc),
    `${cpuSection(results)}${rss}`,
    statementsSection(results),
    targetsSection(results),
  ]
    .filter((section) => section !== '')
    .join('\n\n');
}
