import type pg from 'pg';
import type { BenchContext } from './bench-context.js';
import { type BacklogPlan, generateBacklog } from './bench-data.js';
import { assertSameChecksum, rowImage, type TableChecksum, tableChecksum } from './checksum.js';
import { quiesce, withCpu, withStatements } from './phase-context.js';
import { pollUntil, secondsSince } from './poll.js';
import { peakRssMb, resetPeakRss } from './process-meter.js';
import { type ApplyResults, type Measured, progress, type TributaryApply } from './report.js';
import { vacuumDestinations } from './snapshot-bench.js';

/** What the destinations must show once a backlog is applied. */
interface Expected {
  readonly checksum: TableChecksum;
  /** The final text form of the row the backlog's last change touched (null: it was deleted). */
  readonly marker: string | null;
}

/**
 * Generates one backlog at the source while Tributary is paused and the subscription disabled, so
 * both slots hold the identical changes; then lets each replicator apply it alone, timed until the
 * row touched by the last change shows its final state (changes commit in source order, so
 * everything before it is applied too), and checks the whole table afterwards.
 */
export async function measureBacklog(context: BenchContext, plan: BacklogPlan): Promise<ApplyResults> {
  await pauseReplicators(context);
  await vacuumDestinations(context);
  progress(
    `${plan.label}: generating ${plan.changes.toLocaleString('en-US')} changes in ${plan.transactions.toLocaleString('en-US')} transactions at the source`,
  );
  const generateStarted = performance.now();
  await generateBacklog(context.source.pool, plan);
  const generateSeconds = secondsSince(generateStarted);
  progress(`${plan.label}: generated in ${generateSeconds.toFixed(2)} s`);
  const expected: Expected = {
    checksum: await tableChecksum(context.source.pool, 'public.bench'),
    marker: await rowImage(context.source.pool, 'public.bench', plan.markerId),
  };
  await context.source.pool.query('VACUUM (ANALYZE) public.bench');
  const tributary = await applyWithTributary(context, plan, expected);
  const native = await applyWithNative(context, plan, expected);
  return { plan, generateSeconds, native, tributary };
}

async function pauseReplicators(context: BenchContext): Promise<void> {
  const { tributary } = context;
  if (tributary && (await tributary.status()).state.state !== 'PAUSED') await tributary.pause();
  await context.native.disable();
}

async function applyWithTributary(
  context: BenchContext,
  plan: BacklogPlan,
  expected: Expected,
): Promise<TributaryApply | null> {
  const { tributary } = context;
  if (!tributary) return null;
  const destination = tributary.destinationOf(context.source);
  await quiesce(context);
  progress(`${plan.label}: Tributary resumeConnector until the backlog is applied`);
  const before = (await tributary.status()).stats;
  resetPeakRss(tributary.pid);
  const [[seconds, cpu], statements] = await withStatements(context, () =>
    withCpu(context, async () => {
      const started = performance.now();
      await tributary.resume();
      await waitForMarker(context, plan, expected, {
        name: 'Tributary',
        pool: context.tributaryTarget.pool,
        table: destination,
        check: async () => void (await tributary.status()),
      });
      return secondsSince(started);
    }),
  );
  const peak = peakRssMb(tributary.pid);
  const after = (await tributary.status()).stats;
  await tributary.pause();
  const applied = after.dmls - before.dmls;
  progress(
    `${plan.label}: Tributary applied ${applied.toLocaleString('en-US')} changes in ${seconds.toFixed(2)} s ` +
      `(${Math.round(plan.changes / seconds).toLocaleString('en-US')}/s, ${after.batchesDone - before.batchesDone} commits)`,
  );
  assertSameChecksum(
    `Tributary ${plan.label}`,
    expected.checksum,
    await tableChecksum(context.tributaryTarget.pool, destination),
  );
  if (applied !== plan.changes) {
    throw new Error(`Tributary counted ${applied} applied changes for a backlog of ${plan.changes}`);
  }
  return { seconds, cpu, commits: after.batchesDone - before.batchesDone, peakRssMb: peak, statements };
}

async function applyWithNative(
  context: BenchContext,
  plan: BacklogPlan,
  expected: Expected,
): Promise<Measured> {
  await quiesce(context);
  progress(`${plan.label}: native ALTER SUBSCRIPTION ENABLE until the backlog is applied`);
  const [seconds, cpu] = await withCpu(context, async () => {
    const started = performance.now();
    await context.native.enable();
    await waitForMarker(context, plan, expected, {
      name: 'native',
      pool: context.nativeTarget.pool,
      table: 'public.bench',
      check: async () => undefined,
    });
    return secondsSince(started);
  });
  await context.native.disable();
  progress(
    `${plan.label}: native applied it in ${seconds.toFixed(2)} s (${Math.round(plan.changes / seconds).toLocaleString('en-US')}/s)`,
  );
  assertSameChecksum(
    `native ${plan.label}`,
    expected.checksum,
    await tableChecksum(context.nativeTarget.pool, 'public.bench'),
  );
  return { seconds, cpu };
}

/** A destination table being filled, and a check that throws if its replicator has failed. */
interface Destination {
  readonly name: string;
  readonly pool: pg.Pool;
  readonly table: string;
  readonly check: () => Promise<void>;
}

/** Polls the destination's marker row until it shows its final state; runs `check` once a second. */
async function waitForMarker(
  context: BenchContext,
  plan: BacklogPlan,
  expected: Expected,
  destination: Destination,
): Promise<void> {
  let polls = 0;
  await pollUntil(
    `${destination.name} to apply the ${plan.label} backlog`,
    async () => {
      if (++polls % 20 === 0) await destination.check();
      const image = await rowImage(destination.pool, destination.table, plan.markerId);
      return image === expected.marker ? true : undefined;
    },
    context.config.phaseTimeoutMs,
  );
}
