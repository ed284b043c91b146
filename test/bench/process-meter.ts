import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11..14] utime stime cutime cstime. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function ticks(fields: string[], from: number, to: number): number {
  let sum = 0;
  for (let i = from; i <= to; i++) sum += Number(fields[i] ?? 0);
  return sum;
}

/**
 * CPU seconds used by a process and its children: its own time, the time of children it has
 * reaped, and the time of its live children. Differences between two readings give the CPU a
 * phase cost (a PostgreSQL cluster is its postmaster with the backends below it).
 */
export class CpuMeter {
  constructor(
    readonly label: string,
    private readonly pid: number,
  ) {}

  /**
   * CPU seconds so far. A child that has exited but is not reaped yet (a zombie) shows no time
   * and has not reached the parent's total either — a backend whose client just disconnected
   * would vanish from the count — so the reading waits (up to 2 s) until there is none.
   */
  async read(): Promise<number> {
    for (let waited = 0; ; waited += 20) {
      const reading = this.readOnce();
      if (reading === null) return 0;
      if (!reading.zombies || waited >= 2000) return reading.seconds;
      await sleep(20);
    }
  }

  private readOnce(): { seconds: number; zombies: boolean } | null {
    const own = statFields(this.pid);
    if (!own) return null;
    let total = ticks(own, 11, 14);
    let zombies = false;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = statFields(Number(entry));
      if (!fields || Number(fields[1]) !== this.pid) continue;
      if (fields[0] === 'Z') zombies = true;
      total += ticks(fields, 11, 12);
    }
    return { seconds: total / CLOCK_TICKS, zombies };
  }
}

/** CPU seconds the whole machine has been busy (all cores; /proc/stat), to see what else ran during a phase. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS
  );
}

/** The 1-minute load average and the number of CPUs, e.g. "load 0.42 on 2 CPUs". */
export function machineLoad(): string {
  const [load] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return `load ${load} on ${availableParallelism()} CPUs`;
}

/** Peak resident set size (VmHWM) of a process in MB, or null when it is gone. */
export function peakRssMb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Current resident set size (VmRSS) of a process in MB, or null when it is gone. */
export function currentRssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts a new peak (VmHWM := VmRSS) by writing 5 to /proc/<pid>/clear_refs, so each phase's peak
 * can be read on its own. False when the kernel or permissions refuse; peaks then accumulate.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
