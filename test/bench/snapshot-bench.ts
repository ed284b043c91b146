import type { BenchContext } from './bench-context.js';
import { assertSameChecksum, tableChecksum } from './checksum.js';
import { quiesce, withCpu } from './phase-context.js';
import { timePsqlPipe } from './psql-pipe.js';
import { type Measured, progress, type SnapshotResults } from './report.js';
import { measureTributarySnapshot } from './tributary-snapshot.js';

const SOURCE_TABLE = 'public.bench';

/**
 * Copies the loaded table three ways, one after the other on an otherwise idle machine: the psql
 * COPY pipe, the native subscription's initial sync and Tributary's INITIAL snapshot. Each
 * destination is checked against the source before its time counts.
 */
export async function measureSnapshots(context: BenchContext): Promise<SnapshotResults> {
  const expected = await tableChecksum(context.source.pool, SOURCE_TABLE);
  const pipe = await measurePipe(context);
  assertSameChecksum('psql pipe', expected, await tableChecksum(context.pipeTarget.pool, SOURCE_TABLE));
  const native = await measureNative(context);
  assertSameChecksum(
    'native initial sync',
    expected,
    await tableChecksum(context.nativeTarget.pool, SOURCE_TABLE),
  );
  const tributary = await measureTributarySnapshot(context);
  if (tributary && context.tributary) {
    const destination = context.tributary.destinationOf(context.source);
    assertSameChecksum(
      'Tributary snapshot',
      expected,
      await tableChecksum(context.tributaryTarget.pool, destination),
    );
  }
  await vacuumDestinations(context);
  return { rows: expected.rows, pipe, native, tributary };
}

async function measurePipe(context: BenchContext): Promise<Measured> {
  await quiesce(context);
  progress('snapshot: psql COPY (FORMAT binary) pipe');
  const [seconds, cpu] = await withCpu(context, () =>
    timePsqlPipe(context.source, context.pipeTarget, SOURCE_TABLE),
  );
  progress(`snapshot: psql pipe took ${seconds.toFixed(2)} s`);
  return { seconds, cpu };
}

async function measureNative(context: BenchContext): Promise<Measured> {
  await quiesce(context);
  progress('snapshot: native logical replication initial sync (CREATE SUBSCRIPTION until srsubstate = r)');
  const [seconds, cpu] = await withCpu(context, () => context.native.timeInitialSync());
  progress(`snapshot: native initial sync took ${seconds.toFixed(2)} s`);
  return { seconds, cpu };
}

/** Vacuums the destinations that will apply changes, so both start the CDC phases in the same state. */
export async function vacuumDestinations(context: BenchContext): Promise<void> {
  await context.nativeTarget.pool.query(`VACUUM (ANALYZE) ${SOURCE_TABLE}`);
  if (context.tributary) {
    await context.tributaryTarget.pool.query(
      `VACUUM (ANALYZE) ${context.tributary.destinationOf(context.source)}`,
    );
  }
}
