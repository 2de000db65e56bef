import { describe, expect, it } from 'vitest';
import {
  findGrowth,
  formatSamples,
  type ProcessSample,
  percentiles,
  type SoakSample,
} from './soak-report.js';

function sample(atS: number, processes: ProcessSample[]): SoakSample {
  return {
    atS,
    intervalS: 60,
    ackedPerS: 1_000,
    failedSends: 0,
    ackP50Ms: 2,
    ackP99Ms: 9,
    readPerS: 1_000,
    groupReadPerS: 1_000,
    faults: atS === 120 ? ['kill broker 2'] : [],
    processes,
  };
}

const steady = (i: number): ProcessSample => ({ name: 'broker 1', starts: 1, rssMb: 90 + (i % 3), fds: 40 });

describe('findGrowth', () => {
  it('finds nothing in a process that warms up and then holds steady', () => {
    const samples = Array.from({ length: 12 }, (_, i) =>
      sample(60 * (i + 1), [{ name: 'broker 1', starts: 1, rssMb: i < 3 ? 60 + 10 * i : 95, fds: 40 }]),
    );
    expect(findGrowth(samples)).toEqual([]);
  });

  it('finds memory that keeps growing and descriptors that leak', () => {
    const samples = Array.from({ length: 12 }, (_, i) =>
      sample(60 * (i + 1), [
        steady(i),
        { name: 'broker 2', starts: 1, rssMb: 80 + 15 * i, fds: 40 + 10 * i },
      ]),
    );
    expect(findGrowth(samples).map((g) => g.process)).toEqual(['broker 2', 'broker 2']);
  });

  it('judges a restarted process by its last incarnation only, and skips one too short to judge', () => {
    const restarted = Array.from({ length: 12 }, (_, i) =>
      sample(60 * (i + 1), [{ name: 'broker 3', starts: i < 6 ? 1 : 2, rssMb: i < 6 ? 200 : 70, fds: 40 }]),
    );
    expect(findGrowth(restarted)).toEqual([]);
    const short = Array.from({ length: 5 }, (_, i) =>
      sample(60 * (i + 1), [{ name: 'broker 3', starts: 1, rssMb: 50 * (i + 1), fds: 40 }]),
    );
    expect(findGrowth(short)).toEqual([]);
  });
});

describe('formatSamples and percentiles', () => {
  it('prints one row per sample with each process as MB/fds', () => {
    const table = formatSamples([sample(60, [steady(0)]), sample(120, [steady(1)])]);
    expect(table.split('\n')).toEqual([
      '| at s | acked/s | failed | p50 ms | p99 ms | read/s | group/s | broker 1 MB/fds | faults |',
      '| 60 | 1000 | 0 | 2.0 | 9.0 | 1000 | 1000 | 90.0/40 | - |',
      '| 120 | 1000 | 0 | 2.0 | 9.0 | 1000 | 1000 | 91.0/40 | kill broker 2 |',
    ]);
  });

  it('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ p50: 50, p99: 99 });
    expect(percentiles([])).toEqual({ p50: undefined, p99: undefined });
  });
});
