import { describe, expect, it } from 'vitest';
import { NEMESIS_DEFAULTS, type PlannedFault, type PlanOptions, planFaults } from './nemesis-plan.js';
import { NEMESIS_KINDS } from './nemesis-types.js';

const BASE: PlanOptions = {
  seed: 42,
  kinds: NEMESIS_KINDS,
  controllerIds: [1, 2, 3],
  brokerIds: [1, 2, 3],
};

/** Impaired processes of a fault, by role (an "active controller" counts as one controller). */
function impaired(fault: PlannedFault): { controllers: number; brokers: number } {
  switch (fault.kind) {
    case 'kill':
    case 'pause': {
      const controllers = fault.processes.filter((p) => p.role === 'controller').length;
      return { controllers, brokers: fault.processes.length - controllers };
    }
    case 'corrupt':
      return { controllers: 0, brokers: 1 };
    case 'partition':
      return fault.victim.startsWith('controller')
        ? { controllers: 1, brokers: 0 }
        : { controllers: 0, brokers: 1 };
    case 'slow':
    case 'clock':
      return { controllers: 0, brokers: 0 };
  }
}

describe('planFaults', () => {
  it('is a pure function of its options: same seed, same plan; another seed, another plan', () => {
    const first = planFaults(BASE, 100);
    expect(planFaults(BASE, 100)).toEqual(first);
    expect(planFaults({ ...BASE, seed: 43 }, 100)).not.toEqual(first);
    expect(new Set(first.map((fault) => fault.kind))).toEqual(new Set(NEMESIS_KINDS));
  });

  it('keeps faults in time order, of the asked kinds, with pauses past the session timeout', () => {
    const plan = planFaults(
      { ...BASE, kinds: ['pause', 'kill'], faultDurationMs: { min: 500, max: 900 } },
      200,
    );
    for (const [index, fault] of plan.entries()) {
      expect(['pause', 'kill']).toContain(fault.kind);
      if (index > 0) expect(fault.atMs).toBeGreaterThan(plan[index - 1]?.atMs ?? Number.POSITIVE_INFINITY);
      if (fault.kind === 'pause')
        expect(fault.durationMs).toBeGreaterThanOrEqual(NEMESIS_DEFAULTS.pauseMinMs);
      else expect(fault.durationMs).toBeLessThanOrEqual(900);
    }
  });

  it('never plans a majority of controllers or brokers impaired at once (3+3 and 5+5)', () => {
    for (const size of [3, 5]) {
      const ids = Array.from({ length: size }, (_, i) => i + 1);
      const minority = Math.floor((size - 1) / 2);
      const plan = planFaults(
        { ...BASE, seed: size, controllerIds: ids, brokerIds: ids, intervalMs: 500 },
        300,
      );
      let overlapsSeen = 0;
      for (const fault of plan) {
        const at = fault.atMs;
        const live = plan.filter((other) => other.atMs <= at && at < other.atMs + other.durationMs);
        const totals = live.map(impaired).reduce(
          (sum, next) => ({
            controllers: sum.controllers + next.controllers,
            brokers: sum.brokers + next.brokers,
          }),
          { controllers: 0, brokers: 0 },
        );
        expect(totals.controllers).toBeLessThanOrEqual(minority);
        expect(totals.brokers).toBeLessThanOrEqual(minority);
        if (live.length > 1) overlapsSeen += 1;
      }
      // The check means something only if faults do overlap.
      expect(overlapsSeen).toBeGreaterThan(0);
    }
    // Several at once: with room in the budget (faults far apart), 5+5 sometimes kills two brokers together.
    const ids = [1, 2, 3, 4, 5];
    const sparse = planFaults(
      { ...BASE, kinds: ['kill'], controllerIds: ids, brokerIds: ids, intervalMs: 20_000 },
      50,
    );
    expect(sparse.some((fault) => fault.kind === 'kill' && fault.processes.length === 2)).toBe(true);
  });

  it('keeps the asked mix: kinds the budget delays are not crowded out by those that always fit', () => {
    const plan = planFaults({ ...BASE, seed: 9, intervalMs: 500 }, 500);
    for (const kind of NEMESIS_KINDS) {
      const share = plan.filter((fault) => fault.kind === kind).length / plan.length;
      expect(share, kind).toBeGreaterThan(0.12);
    }
  });

  it('jumps wall clocks both ways within their ranges, mostly on brokers, one open jump per process', () => {
    const plan = planFaults({ ...BASE, seed: 16, kinds: ['clock'] }, 300);
    const { clockForwardMs: forward, clockBackwardMs: backward } = NEMESIS_DEFAULTS;
    let brokers = 0;
    for (const [index, fault] of plan.entries()) {
      if (fault.kind !== 'clock') throw new Error(`a ${fault.kind} fault in a clock-only plan`);
      const { offsetMs, process } = fault;
      if (offsetMs > 0) expect(offsetMs).toBeGreaterThanOrEqual(forward.min);
      if (offsetMs > 0) expect(offsetMs).toBeLessThanOrEqual(forward.max);
      if (offsetMs < 0) expect(-offsetMs).toBeGreaterThanOrEqual(backward.min);
      if (offsetMs < 0) expect(-offsetMs).toBeLessThanOrEqual(backward.max);
      if (process.role === 'broker') brokers += 1;
      // No earlier jump of the same process is still open (its heal puts the real clock back).
      const open = plan
        .slice(0, index)
        .filter((other) => other.kind === 'clock' && other.process.role === process.role)
        .filter((other) => other.kind === 'clock' && other.process.nodeId === process.nodeId)
        .some((other) => other.atMs + other.durationMs + NEMESIS_DEFAULTS.restartSlackMs > fault.atMs);
      expect(open).toBe(false);
    }
    expect(plan.filter((fault) => fault.kind === 'clock' && fault.offsetMs > 0).length).toBeGreaterThan(100);
    expect(plan.filter((fault) => fault.kind === 'clock' && fault.offsetMs < 0).length).toBeGreaterThan(100);
    expect(brokers / plan.length).toBeGreaterThan(0.6);
  });

  it('refuses a cluster too small for the asked kinds instead of looping forever', () => {
    expect(() => planFaults({ ...BASE, kinds: ['corrupt'], brokerIds: [1] }, 1)).toThrow(
      /availability budget/,
    );
  });
});
