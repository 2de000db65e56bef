/**
 * CPU time of processes from Linux's /proc: user+system of a running process (all its threads), and of the
 * children this process has reaped (how the producing tools' CPU is read: a child's /proc entry is gone by
 * the time its exit is seen, but its rusage is added to the parent's cutime/cstime when it is reaped).
 * Resolution is one clock tick (10 ms at the usual 100 Hz), far below the seconds a run costs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ on every common configuration; used when `getconf CLK_TCK` cannot be run. */
const CLOCK_TICKS_PER_SECOND_DEFAULT = 100;
const GETCONF_TIMEOUT_MS = 5_000;

export interface ProcCpuTicks {
  /** utime + stime of the process itself (every thread). */
  readonly selfTicks: number;
  /** cutime + cstime: what its reaped children (and their reaped children) used. */
  readonly childrenTicks: number;
}

/**
 * Parses the text of /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold spaces or
 * parentheses, so fields are counted after the last ')': field 3 (state) is the first of those.
 */
export function parseProcStat(text: string): ProcCpuTicks {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 of proc(5); utime, stime, cutime, cstime are fields 14–17.
  const field = (number: number): number => {
    const value = Number(fields[number - 3]);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(
        `/proc/<pid>/stat field ${number} is not a tick count: ${fields[number - 3] ?? 'missing'}`,
      );
    }
    return value;
  };
  return { selfTicks: field(14) + field(15), childrenTicks: field(16) + field(17) };
}

/** USER_HZ, the unit of /proc/<pid>/stat times. Runs `getconf` once: call it before any timed part. */
export function clockTicksPerSecond(): number {
  try {
    const out = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: GETCONF_TIMEOUT_MS });
    const ticks = Number(out.trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : CLOCK_TICKS_PER_SECOND_DEFAULT;
  } catch {
    return CLOCK_TICKS_PER_SECOND_DEFAULT;
  }
}

export function readProcCpuTicks(pid: number | 'self'): ProcCpuTicks {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU-µs from ticks. */
export function ticksToMicros(ticks: number, ticksPerSecond: number): number {
  return (ticks * 1_000_000) / ticksPerSecond;
}

/** Sum of the processes' own CPU ticks (each must be running: a vanished broker is a failed run). */
export function sumSelfTicks(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += readProcCpuTicks(pid).selfTicks;
  return total;
}
