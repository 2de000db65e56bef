import { describe, expect, it } from 'vitest';
import { runSimulation, SimulationFailure } from './simulation.js';

/** Seeds CI runs on every build; odd seeds use 5 nodes, even seeds 3. */
const CI_SEEDS = 2_000;

function firstFailure(seeds: Iterable<number>, run: (seed: number) => void): SimulationFailure | null {
  for (const seed of seeds) {
    try {
      run(seed);
    } catch (error) {
      if (error instanceof SimulationFailure) return error;
      throw error;
    }
  }
  return null;
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

describe('simulation', () => {
  it(`keeps every invariant and stays live over ${CI_SEEDS} seeds (3 and 5 nodes)`, () => {
    let committed = 0;
    for (const seed of range(1, CI_SEEDS)) committed += runSimulation({ seed }).committed;
    // Sanity check that the runs do real work: every seed commits its liveness proposal and more.
    expect(committed).toBeGreaterThan(CI_SEEDS * 20);
    // The budget for 2,000 seeds in CI is two minutes; alone it takes about 10 s.
  }, 120_000);

  it('replays a seed identically', () => {
    const a: string[] = [];
    const b: string[] = [];
    runSimulation({ seed: 42, trace: (line) => a.push(line) });
    runSimulation({ seed: 42, trace: (line) => b.push(line) });
    expect(a.length).toBeGreaterThan(10);
    expect(a).toEqual(b);
  });

  it('catches a core that grants votes without the log up-to-date check (Raft §5.4.1)', () => {
    const failure = firstFailure(range(1, 50), (seed) =>
      runSimulation({ seed, testingKnobs: { unsafeSkipVoteLogCheck: true } }),
    );
    expect(failure).not.toBeNull();
    expect(failure?.invariant).toBe('leader-completeness');
    expect(failure?.message).toMatch(/seed=\d+ nodes=[35] step\(tick\)=\d+/);
    expect(failure?.message).toContain('replay: node packages/raft/dist/sim/cli.js --seed');
  });
});

/** Membership-change seeds per CI run (3 or 5 voters plus 2 spares each); about 9 s alone. */
const MEMBERSHIP_SEEDS = 1_000;

describe('simulation with membership changes (thesis §4.1, one server at a time)', () => {
  it(`keeps every invariant and stays live over ${MEMBERSHIP_SEEDS} seeds`, () => {
    let committed = 0;
    for (const seed of range(1, MEMBERSHIP_SEEDS)) {
      committed += runSimulation({ seed, membershipChanges: true }).committed;
    }
    expect(committed).toBeGreaterThan(MEMBERSHIP_SEEDS * 20);
  }, 120_000);

  it('changes the membership in most runs (the scenario is exercised, not skipped)', () => {
    let changed = 0;
    let leaderRemoved = 0;
    for (const seed of range(1, 40)) {
      const lines: string[] = [];
      runSimulation({ seed, membershipChanges: true, trace: (line) => lines.push(line) });
      if (lines.some((l) => / membership promote \d+ at /.test(l))) changed++;
      if (lines.some((l) => / membership remove \d+ \(the leader\) at /.test(l))) leaderRemoved++;
    }
    expect(changed).toBeGreaterThan(30);
    expect(leaderRemoved).toBeGreaterThan(0);
  });

  it('catches a core that accepts a second membership change before the first commits', () => {
    const failure = firstFailure(range(1, 100), (seed) =>
      runSimulation({
        seed,
        membershipChanges: true,
        testingKnobs: { unsafeConcurrentMembershipChanges: true },
      }),
    );
    expect(failure).not.toBeNull();
    expect(failure?.invariant).toBe('membership-one-at-a-time');
    expect(failure?.message).toMatch(/--membership$/);
  });

  it('shows why: with that check off, concurrent changes break Raft safety itself', () => {
    // Two uncommitted single-server changes add up to a two-server change, whose old and new majorities
    // need not overlap. Seeds 1-100 (all passing with the rule enforced, above) include such a split brain.
    const failure = firstFailure(range(1, 100), (seed) =>
      runSimulation({
        seed,
        membershipChanges: true,
        uncheckedMembershipChanges: true,
        testingKnobs: { unsafeConcurrentMembershipChanges: true },
      }),
    );
    expect(failure).not.toBeNull();
    expect(['leader-completeness', 'state-machine-safety', 'election-safety']).toContain(failure?.invariant);
  });
});
