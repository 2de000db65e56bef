/**
 * The soak's short, seeded slice in the suite: the same runner as `npm run soak` for 10 s with a sample every
 * 5 s, a fixed rate and a pause every 4 s (a pause heals at once; kills, whose restarts cost the suite time, are
 * the chaos suite's). It checks the soak's own promises — every
 * acknowledged record read once and in order, a sample per interval naming every process — not speed or
 * growth, which an hour on a quiet machine measures.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from './soak-runner.js';

describe('soak (short slice: 10 s, a pause every 4 s)', () => {
  it('seed 7: no acknowledged record lost, duplicated or reordered; a sample per interval', async () => {
    const result = await runSoak({
      durationS: 10,
      intervalS: 5,
      seed: 7,
      ratePerS: 2_000,
      kinds: ['pause'],
      faultIntervalS: 4,
    });
    console.log(`acked=${result.acked} failed=${result.failed} read=${result.read} faults=${result.faults}`);
    expect(result.anomalies).toEqual([]);
    expect(result.acked).toBeGreaterThan(1_000);
    expect(result.faults).toBeGreaterThan(0);
    expect(result.read).toBeGreaterThanOrEqual(result.acked);
    expect(result.samples.map((s) => s.atS)).toEqual([5, 10]);
    const names = result.samples[0]?.processes.map((p) => p.name);
    expect(names).toEqual([
      'controller 1',
      'controller 2',
      'controller 3',
      'broker 1',
      'broker 2',
      'broker 3',
      'soak client',
    ]);
  }, 150_000);
});
