import { describe, expect, it } from 'vitest';
import type { ModeRun } from './mode-run.js';
import type { SecurityMode } from './options.js';
import { summarizeSecurityBench } from './report.js';

function run(mode: SecurityMode, round: number, recordsPerSecond: number): ModeRun {
  return {
    mode,
    round,
    throughput: {
      recordsPerSecond,
      mbPerSecond: recordsPerSecond / 1_024,
      p50Ms: 10,
      p99Ms: 20,
      acked: recordsPerSecond * 10,
      failed: 0,
      wallMs: 10_000,
      tribCores: 0.5,
      brokerCores: 1,
      controllerCores: 0.1,
      brokerCpuUsPerRecord: 30,
      tribCpuUsPerRecord: 15,
      loadAverage1m: 0.3,
    },
    latency: {
      recordsPerSecond: 1_000,
      p50Ms: 2,
      p99Ms: 5,
      p999Ms: 9,
      acked: 10_000,
      failed: 0,
      loadAverage1m: 0.3,
    },
  };
}

describe('summarizeSecurityBench', () => {
  it('takes each round against the plaintext run of the same round, then the median', () => {
    const runs = [
      run('plaintext', 1, 100),
      run('secure', 1, 90),
      run('secure', 2, 40),
      run('plaintext', 2, 50), // a slow round: the ratio is still 0.8
      run('plaintext', 3, 100),
      run('secure', 3, 70),
    ];
    const summary = summarizeSecurityBench(runs, ['plaintext', 'secure'], []);
    const secure = summary.modes.find((m) => m.mode === 'secure');
    expect(secure?.ratioToPlaintext.runs).toEqual([0.9, 0.8, 0.7]);
    expect(secure?.ratioToPlaintext.median).toBe(0.8);
    expect(secure?.tax).toBe(0.2);
    expect(summary.targetMet).toBe(false);
  });

  it('leaves out a round whose baseline failed, and meets the target within 15 %', () => {
    const runs = [run('secure', 1, 10), run('plaintext', 2, 100), run('secure', 2, 90)];
    const summary = summarizeSecurityBench(runs, ['plaintext', 'secure'], ['round 1 plaintext: boom']);
    expect(summary.modes.find((m) => m.mode === 'secure')?.ratioToPlaintext.runs).toEqual([0.9]);
    expect(summary.targetMet).toBe(true);
    expect(summary.errors).toEqual(['round 1 plaintext: boom']);
  });
});
