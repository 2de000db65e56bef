import { it } from 'vitest';
import { InvariantChecker } from './checker.js';
import { runSimulation, SimulationFailure } from './simulation.js';
it('exp', () => {
  InvariantChecker.prototype.checkOneMembershipChange = () => {};
  const counts = new Map<string, number>();
  for (let seed = 1; seed <= 2000; seed++) {
    try { runSimulation({ seed, membershipChanges: true, testingKnobs: { unsafeConcurrentMembershipChanges: true } }); }
    catch (e) { if (e instanceof SimulationFailure) counts.set(e.invariant, (counts.get(e.invariant) ?? 0) + 1); else counts.set(String(e).slice(0, 80), (counts.get(String(e).slice(0,80)) ?? 0) + 1); }
  }
  console.log(counts);
}, 300_000);
