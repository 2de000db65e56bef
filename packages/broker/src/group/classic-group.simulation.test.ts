/**
 * The classic group simulation over many seeds (the model and its invariants: classic-simulation.ts).
 * A failing case names its seed; `SIM_SEED=n npx vitest run src/group/classic-group.simulation` replays it.
 */
import { describe, expect, it } from 'vitest';
import { PARTITIONS, run } from './testing/classic-simulation.js';

const seeds =
  process.env.SIM_SEED === undefined
    ? Array.from({ length: 150 }, (_, i) => i + 1)
    : [Number(process.env.SIM_SEED)];

const totals = { seeds: 0, settledWithMembers: 0, commitsAccepted: 0, commitsRefused: 0, fenced: 0 };

describe('ClassicGroup simulation', () => {
  it.each(seeds)('seed %i keeps the invariants and settles into one Stable generation', (seed) => {
    const sim = run(seed);
    sim.settle();
    totals.seeds++;
    totals.commitsAccepted += sim.stats.commitsAccepted;
    totals.commitsRefused += sim.stats.commitsRefused;
    totals.fenced += sim.stats.fenced;
    const live = sim.clients.filter((c) => c.state !== 'dead');
    if (live.length === 0) return;
    totals.settledWithMembers++;
    expect(sim.group.state, `seed ${seed}: the group did not settle`).toBe('Stable');
    const owned = live.flatMap((c) => c.owned).sort((a, b) => a - b);
    expect(owned, `seed ${seed}: live members own each partition once`).toEqual(
      Array.from({ length: PARTITIONS }, (_, p) => p),
    );
    for (const client of live) expect(client.generation).toBe(sim.group.generationId);
  });

  it('exercises what it checks: refused zombie commits, fenced static instances, groups that settle', () => {
    if (totals.seeds < 100) return;
    expect(totals.commitsAccepted).toBeGreaterThan(totals.seeds);
    expect(totals.commitsRefused).toBeGreaterThan(totals.seeds / 10);
    expect(totals.fenced).toBeGreaterThan(0);
    expect(totals.settledWithMembers).toBeGreaterThan(totals.seeds / 2);
  });

  it('bites: without commit fencing some seed sees a zombie commit a partition its successor owns', () => {
    const failures = Array.from({ length: 60 }, (_, i) => i + 1).filter((seed) => {
      try {
        run(seed, { unfencedCommits: true });
        return false;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/both committed|stale generation/.test(message)) return true;
        throw error;
      }
    });
    expect(failures.length).toBeGreaterThan(0);
  });
});
