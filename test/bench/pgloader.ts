import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchDatabase } from './bench-clusters.js';
import type { MysqlBenchSource } from './mysql-source.js';
import { secondsSince } from './poll.js';

/** One pgloader run: its wall-clock seconds, the CPU it used, and its own summary table. */
export interface PgloaderRun {
  readonly seconds: number;
  /** User + system CPU seconds of pgloader (bash's `times` for its children). */
  readonly cpuSeconds: number;
  /** pgloader's summary table (per step: rows, bytes, time). */
  readonly summary: string;
  /** Its "Total import time" (without starting up), or NaN when the summary has none. */
  readonly importSeconds: number;
}

/** Why `pgloader` cannot run (with how to install it), or null when it can. */
export function pgloaderMissing(pgloader: string): string | null {
  try {
    accessSync(pgloader, constants.X_OK);
    return null;
  } catch {
    return `${pgloader} is not installed or not executable: apt-get install pgloader (Debian package), or point BENCH_PGLOADER at one`;
  }
}

/**
 * The load command: the source database's `bench` table into `target`, with every default —
 * create the table, load the data (4 workers, batches of 25 000 rows), then build the primary
 * key index and reset sequences; no casting rules of our own.
 */
function loadCommand(source: MysqlBenchSource, target: BenchDatabase): string {
  const user = (name: string, password: string) =>
    `${encodeURIComponent(name)}:${encodeURIComponent(password)}`;
  return `LOAD DATABASE
  FROM mysql://${user(source.user, source.password)}@${source.host}:${source.port}/${source.name}
  INTO postgresql://${user(target.user, target.password)}@127.0.0.1:${target.port}/${target.name}?sslmode=disable

INCLUDING ONLY TABLE NAMES MATCHING 'bench';
`;
}

/**
 * Stops on the first error (--on-error-stop) so a bad load fails the phase instead of skipping
 * rows, then prints the CPU its children used: bash's `times`, whose second line is the children's.
 */
const SCRIPT = `"$PGLOADER" --on-error-stop --root-dir "$ROOT_DIR" --summary "$SUMMARY" "$LOAD_FILE"
status=$?
times >&2
exit $status`;

/**
 * Runs `pgloader` once, loading the source's `bench` table into `target` (schema = the MySQL
 * database name, as pgloader does by default). The command file, which holds the passwords, and
 * pgloader's logs stay in `workDir`. Throws with pgloader's output when it fails.
 */
export async function runPgloader(
  pgloader: string,
  source: MysqlBenchSource,
  target: BenchDatabase,
  workDir: string,
): Promise<PgloaderRun> {
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const loadFile = path.join(workDir, 'bench.load');
  const summaryFile = path.join(workDir, 'summary.txt');
  await writeFile(loadFile, loadCommand(source, target), { mode: 0o600 });
  const started = performance.now();
  const child = spawn('bash', ['-c', SCRIPT], {
    env: {
      ...process.env,
      PGLOADER: pgloader,
      ROOT_DIR: path.join(workDir, 'root'),
      SUMMARY: summaryFile,
      LOAD_FILE: loadFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = secondsSince(started);
  if (code !== 0) throw new Error(`pgloader exited with ${code}:\n${output}${errors}`.trim());
  const summary = (await readFile(summaryFile, 'utf8').catch(() => '')).trimEnd();
  return { seconds, cpuSeconds: childrenCpu(errors), summary, importSeconds: totalImportSeconds(summary) };
}

/** The time of the summary's "Total import time" line: `12.345s`, `1m2.345s` or `1h2m3.456s`. */
function totalImportSeconds(summary: string): number {
  const line = summary.split('\n').find((text) => text.includes('Total import time')) ?? '';
  const match = /(?:(\d+)h)?(?:(\d+)m)?([\d.]+)s\s*$/.exec(line);
  if (!match) return Number.NaN;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** The children's user + system seconds from the output of bash's `times` (its last two lines). */
function childrenCpu(stderr: string): number {
  const lines = stderr.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(children.trim());
  if (!match) return Number.NaN;
  const [, um = '0', us = '0', sm = '0', ss = '0'] = match;
  return Number(um) * 60 + Number(us) + Number(sm) * 60 + Number(ss);
}
