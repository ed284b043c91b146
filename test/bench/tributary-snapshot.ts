import { type PhaseContext, quiesce, withCpu, withStatements } from './phase-context.js';
import { peakRssMb, resetPeakRss } from './process-meter.js';
import { progress, type TributarySnapshot } from './report.js';

/**
 * Times Tributary's INITIAL snapshot of the connector's table (startConnector until the copied
 * table is committed), with the CPU, statements and peak RSS of the phase, then waits until the
 * connector streams. Null when Tributary is not measured. The caller checks the destination.
 */
export async function measureTributarySnapshot(context: PhaseContext): Promise<TributarySnapshot | null> {
  const { tributary } = context;
  if (!tributary) return null;
  await quiesce(context);
  progress('snapshot: Tributary startConnector(mode: INITIAL) until the table is committed');
  resetPeakRss(tributary.pid);
  const [[timing, cpu], statements] = await withStatements(context, () =>
    withCpu(context, () => tributary.timeSnapshot(context.config.phaseTimeoutMs)),
  );
  const peak = peakRssMb(tributary.pid);
  progress(
    `snapshot: Tributary took ${timing.seconds.toFixed(2)} s (${timing.rows.toLocaleString('en-US')} rows; ` +
      `setup ${timing.setupSeconds.toFixed(2)} s, copy ${timing.copySeconds.toFixed(2)} s)`,
  );
  await tributary.waitForStreaming(context.config.phaseTimeoutMs);
  return {
    seconds: timing.seconds,
    cpu,
    setupSeconds: timing.setupSeconds,
    copySeconds: timing.copySeconds,
    peakRssMb: peak,
    statements,
  };
}
