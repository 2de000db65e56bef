import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcCpuTicks, ticksToMicros } from './proc-cpu.js';

describe('/proc/<pid>/stat', () => {
  it('reads utime+stime and cutime+cstime, counting fields after the last parenthesis', () => {
    // Fields 14-17 are 11, 22, 33, 44; the command name holds a space and a parenthesis.
    const line =
      '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 11 22 33 44 20 0 11 0 281615 3133440 359';
    expect(parseProcStat(line)).toEqual({ selfTicks: 33, childrenTicks: 77 });
  });

  it('refuses a line that is not a stat line or lacks the fields', () => {
    expect(() => parseProcStat('no parenthesis here')).toThrow(/not a \/proc/);
    expect(() => parseProcStat('1 (cat) R 0 1')).toThrow(/field 14/);
  });

  it('reads this process and converts ticks to microseconds', () => {
    const ticks = readProcCpuTicks('self');
    expect(ticks.selfTicks).toBeGreaterThanOrEqual(0);
    expect(ticks.childrenTicks).toBeGreaterThanOrEqual(0);
    expect(ticksToMicros(25, 100)).toBe(250_000);
  });
});
