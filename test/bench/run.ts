import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BenchConfig, type BenchSource, readBenchConfig } from './bench-config.js';
import { Cleanup } from './cleanup.js';
import { runMysqlBench } from './mysql-bench.js';
import { renderMysqlReport } from './mysql-report.js';
import { runPostgresBench } from './postgres-bench.js';
import { machineLoad } from './process-meter.js';
import { progress, renderReport } from './report.js';

/** A section's title, how to run it on servers `cleanup` removes, and how it renders. */
interface Section {
  readonly title: string;
  run(config: BenchConfig, cleanup: Cleanup): Promise<{ report: string; tributaryMissing: string | null }>;
}

const SECTIONS: Record<BenchSource, Section> = {
  postgres: {
    title: 'PostgreSQL → PostgreSQL: Tributary against the psql COPY pipe and native logical replication',
    async run(config, cleanup) {
      const results = await runPostgresBench(config, cleanup);
      return { report: renderReport(results), tributaryMissing: results.tributaryMissing };
    },
  },
  mysql: {
    title: 'MySQL (MariaDB) → PostgreSQL: Tributary against pgloader, and its CDC apply rate',
    async run(config, cleanup) {
      const results = await runMysqlBench(config, cleanup);
      return { report: renderMysqlReport(results), tributaryMissing: results.tributaryMissing };
    },
  },
};

/**
 * `npm run bench`: each section (BENCH_SOURCES, default postgres,mysql) on throwaway servers it
 * starts and removes before the next begins. Prints progress, then the report; exits 0 whatever
 * the figures are, non-zero when a section could not run (Tributary included).
 */
async function main(cleanup: Cleanup): Promise<number> {
  const config = readBenchConfig();
  progress(
    `bench (${config.sources.join(', ')}): ${config.rows.toLocaleString('en-US')} rows, backlogs of ${config.batchedChanges.toLocaleString('en-US')} ` +
      `changes (${config.changesPerTx}/tx) and ${config.singleChanges.toLocaleString('en-US')} one-row transactions (postgres only); ${machineLoad()}`,
  );
  const reports: string[] = [];
  let exitCode = 0;
  for (const source of config.sources) {
    const section = SECTIONS[source];
    progress(`--- ${section.title}`);
    const scope = cleanup.scope(`the ${source} section's servers`, progress);
    try {
      const { report, tributaryMissing } = await section.run(config, scope);
      reports.push(`=== ${section.title}\n\n${report}`);
      if (tributaryMissing) exitCode = 1;
    } catch (error) {
      process.stderr.write(`bench ${source} section failed: ${(error as Error).stack ?? String(error)}\n`);
      reports.push(`=== ${section.title}\n\nfailed: ${(error as Error).message}`);
      exitCode = 1;
    } finally {
      progress(`removing the ${source} section's servers`);
      await scope.run(progress);
    }
  }
  process.stdout.write(`\n${reports.join('\n\n')}\n\nMachine at the end: ${machineLoad()}.\n`);
  return exitCode;
}

/**
 * Points TMPDIR at a directory of the run's own, so every cluster directory lands in it and one
 * removal at the end catches even a cluster interrupted while it was being created. The
 * clusters run as the `postgres` user when we are root, so it must be able to enter it.
 */
async function useOwnTempDir(cleanup: Cleanup): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tributary-bench-'));
  await chmod(dir, 0o755);
  cleanup.defer(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  process.env.TMPDIR = dir;
}

const cleanup = new Cleanup();
const report = (line: string) => progress(line);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping and removing the benchmark's servers`);
    void cleanup.run(report).finally(() => process.exit(130));
  });
}

try {
  await useOwnTempDir(cleanup);
  process.exitCode = await main(cleanup);
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  progress('cleaning up');
  await cleanup.run(report);
}
