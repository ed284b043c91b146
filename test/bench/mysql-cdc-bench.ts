import type { BacklogPlan } from './bench-data.js';
import { assertSameChecksum } from './checksum.js';
import { generateMysqlBacklog } from './mysql-bench-data.js';
import { copyChecksum, copyRowLine, mysqlChecksum, mysqlRowLine } from './mysql-checksum.js';
import type { MysqlBenchContext } from './mysql-context.js';
import type { MysqlApplyResults } from './mysql-report.js';
import { quiesce, withCpu, withStatements } from './phase-context.js';
import { pollUntil, secondsSince } from './poll.js';
import { peakRssMb, resetPeakRss } from './process-meter.js';
import { progress } from './report.js';
import type { TributaryRun } from './tributary-run.js';

/**
 * Pauses the streaming connector, generates the backlog in MariaDB's binary log, then resumes it,
 * timed until the row the last change touched shows its final state (changes are applied in
 * binlog order, so everything before it is applied too); checks the whole table afterwards. Null
 * when Tributary is not measured.
 */
export async function measureMysqlBacklog(
  context: MysqlBenchContext,
  plan: BacklogPlan,
): Promise<MysqlApplyResults | null> {
  const { tributary, source } = context;
  if (!tributary) return null;
  if ((await tributary.status()).state.state !== 'PAUSED') await tributary.pause();
  progress(
    `${plan.label}: generating ${plan.changes.toLocaleString('en-US')} changes in ${plan.transactions.toLocaleString('en-US')} transactions at MariaDB`,
  );
  const generateStarted = performance.now();
  await generateMysqlBacklog(source, plan);
  const generateSeconds = secondsSince(generateStarted);
  progress(`${plan.label}: generated in ${generateSeconds.toFixed(2)} s`);
  const expected = await mysqlChecksum(source);
  const marker = await mysqlRowLine(source, plan.markerId);
  const destination = tributary.destinationOf(source);
  await quiesce(context);
  progress(`${plan.label}: Tributary resumeConnector until the backlog is applied`);
  const before = (await tributary.status()).stats;
  resetPeakRss(tributary.pid);
  const [[seconds, cpu], statements] = await withStatements(context, () =>
    withCpu(context, async () => {
      const started = performance.now();
      await tributary.resume();
      await waitForMarker(context, tributary, destination, plan, marker);
      return secondsSince(started);
    }),
  );
  const peak = peakRssMb(tributary.pid);
  const after = (await tributary.status()).stats;
  const applied = after.dmls - before.dmls;
  const commits = after.batchesDone - before.batchesDone;
  progress(
    `${plan.label}: Tributary applied ${applied.toLocaleString('en-US')} changes in ${seconds.toFixed(2)} s ` +
      `(${Math.round(plan.changes / seconds).toLocaleString('en-US')}/s, ${commits} commits)`,
  );
  assertSameChecksum(
    `Tributary ${plan.label}`,
    expected,
    await copyChecksum(context.tributaryTarget.pool, destination),
  );
  if (applied !== plan.changes) {
    throw new Error(`Tributary counted ${applied} applied changes for a backlog of ${plan.changes}`);
  }
  return {
    plan,
    generateSeconds,
    tributary: { seconds, cpu, commits, peakRssMb: peak, statements },
  };
}

/** Polls the destination's marker row until it matches the source's; checks the connector once a second. */
async function waitForMarker(
  context: MysqlBenchContext,
  tributary: TributaryRun,
  destination: string,
  plan: BacklogPlan,
  marker: string | null,
): Promise<void> {
  let polls = 0;
  await pollUntil(
    `Tributary to apply the ${plan.label} backlog`,
    async () => {
      if (++polls % 20 === 0) await tributary.status();
      const line = await copyRowLine(context.tributaryTarget.pool, destination, plan.markerId);
      return line === marker ? true : undefined;
    },
    context.config.phaseTimeoutMs,
  );
}
