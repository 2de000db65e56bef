/**
 * The nemesis's schedule as a pure function of its seed: which fault, when, on what, for how long. No clock,
 * no processes: `FaultPlanner.next()` returns the next planned fault and the same seed always yields the
 * same sequence, so a failing chaos run replays from its seed (the execution around it is timed by the real
 * clock, so a heal that runs late can still make the runner skip a later fault; the plan does not change).
 *
 * Availability budget: at any planned instant at most a minority of controllers and a minority of brokers
 * are impaired (killed, paused, corrupted-and-down, or on the cut side of a partition), so the cluster can
 * always make progress. Each impairment window includes `restartSlackMs` for the restart after the heal.
 * A clock jump impairs nothing (the process keeps serving), so it is outside the budget; a process has at
 * most one jump open at a time, so that each heal puts its clock back to the real one.
 */
import { assert, SeededRandom } from '@tributary/core';
import type { TailDamageKind } from './data-faults.js';
import { TAIL_DAMAGE_KINDS } from './data-faults.js';
import type { NemesisKind } from './nemesis-types.js';

export type Role = 'controller' | 'broker';

/** A process to hit; `'active'` is the active controller, resolved when the fault is injected. */
export interface ProcessRef {
  readonly role: Role;
  readonly nodeId: number | 'active';
}

/** A directed link: connections opened by `from` to `to` (names like "broker 2", see link-proxy.ts). */
export interface LinkRef {
  readonly from: string;
  readonly to: string;
}

export type PlannedAction =
  | { readonly kind: 'kill'; readonly processes: readonly ProcessRef[] }
  | { readonly kind: 'pause'; readonly processes: readonly ProcessRef[] }
  | {
      readonly kind: 'corrupt';
      readonly brokerId: number;
      readonly damage: TailDamageKind;
      readonly damageSeed: number;
    }
  | {
      readonly kind: 'partition';
      readonly mode: 'one-way' | 'two-way' | 'isolate';
      /** The process cut off (counted against the budget). */
      readonly victim: string;
      /** For one-way and two-way: the other end; for isolate: undefined (cut from every process and client). */
      readonly peer?: string;
    }
  | { readonly kind: 'slow'; readonly links: readonly LinkRef[]; readonly delayMs: number }
  /** The process's wall clock set `offsetMs` away from the real one (its monotonic clock untouched), then back. */
  | {
      readonly kind: 'clock';
      readonly process: ProcessRef & { readonly nodeId: number };
      readonly offsetMs: number;
    };

export type PlannedFault = PlannedAction & {
  /** Ms after the nemesis started. */
  readonly atMs: number;
  readonly durationMs: number;
};

export interface PlanOptions {
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  readonly controllerIds: readonly number[];
  readonly brokerIds: readonly number[];
  readonly intervalMs?: number;
  readonly faultDurationMs?: { readonly min: number; readonly max: number };
  /** A pause lasts at least this long: longer than the brokers' session timeout, so they get fenced. */
  readonly pauseMinMs?: number;
  readonly restartSlackMs?: number;
}

export const NEMESIS_DEFAULTS = {
  intervalMs: 3_000,
  faultDurationMs: { min: 2_000, max: 6_000 },
  /** The controller's broker session timeout is 3,000 ms by default; a pause must outlast it. */
  pauseMinMs: 4_500,
  restartSlackMs: 3_000,
  /** Latency added by a slow link, range in ms. */
  slowDelayMs: { min: 50, max: 400 },
  /**
   * Wall clock jumps (ms): forwards far past any retention.ms a short test topic uses (a rule that judged
   * age by the wall clock alone would delete acknowledged data), backwards within the default
   * message.timestamp.after.max.ms (1 h), past which the jumped leader would rightly refuse every record
   * as from its future (KIP-937). Every heal is the opposite jump, back to the real clock.
   */
  clockForwardMs: { min: 60 * 60 * 1000, max: 24 * 60 * 60 * 1000 },
  clockBackwardMs: { min: 60 * 1000, max: 30 * 60 * 1000 },
  /** Attempts to find a fault that fits the budget before moving the clock on. */
  attemptsPerFaultMax: 16,
  /** Clock advances without a fitting fault before the planner gives up (a cluster too small for the kinds). */
  roundsPerFaultMax: 1_000,
} as const;

export function processName(role: Role, nodeId: number): string {
  return `${role} ${nodeId}`;
}

interface Impairment {
  readonly fromMs: number;
  readonly untilMs: number;
  readonly role: Role;
  /** A specific process, or undefined for "some controller" (the active one, unknown until injection). */
  readonly name: string | undefined;
}

export class FaultPlanner {
  private readonly random: SeededRandom;
  private readonly intervalMs: number;
  private readonly durationMs: { readonly min: number; readonly max: number };
  private readonly pauseMinMs: number;
  private readonly restartSlackMs: number;
  private impairments: Impairment[] = [];
  /** Open clock jumps by process name: when each is healed (ms after the start). */
  private readonly clockJumpsUntilMs = new Map<string, number>();
  private clockMs = 0;

  constructor(private readonly options: PlanOptions) {
    assert(options.kinds.length > 0, 'the nemesis needs at least one fault kind');
    assert(options.controllerIds.length > 0 && options.brokerIds.length > 0, 'a cluster has both roles');
    this.random = new SeededRandom(options.seed);
    this.intervalMs = options.intervalMs ?? NEMESIS_DEFAULTS.intervalMs;
    this.durationMs = options.faultDurationMs ?? NEMESIS_DEFAULTS.faultDurationMs;
    this.pauseMinMs = options.pauseMinMs ?? NEMESIS_DEFAULTS.pauseMinMs;
    this.restartSlackMs = options.restartSlackMs ?? NEMESIS_DEFAULTS.restartSlackMs;
    assert(this.intervalMs > 0, 'intervalMs must be positive');
    assert(this.durationMs.min > 0 && this.durationMs.max >= this.durationMs.min, 'bad faultDurationMs');
  }

  /** The next fault, strictly after the previous one (moves the clock on until one fits the budget). */
  next(): PlannedFault {
    // The kind is drawn once and kept until it fits: redrawing would favour the kinds that always fit
    // (slow) over the ones the budget often delays (kill, pause, corrupt), skewing the mix.
    const kind = this.pick(this.options.kinds);
    for (let round = 0; round < NEMESIS_DEFAULTS.roundsPerFaultMax; round++) {
      // Uniform in [0.5, 1.5) × interval: mean interval, never two faults at the same instant.
      this.clockMs += Math.max(1, Math.round(this.intervalMs * (0.5 + this.random.next())));
      for (let attempt = 0; attempt < NEMESIS_DEFAULTS.attemptsPerFaultMax; attempt++) {
        const fault = this.tryPlan(kind, this.clockMs);
        if (fault !== undefined) return fault;
      }
    }
    // Only a cluster too small for the kind (one broker and a broker-only fault) gets here.
    throw new RangeError(`no ${kind} fault fits this cluster's availability budget`);
  }

  private tryPlan(kind: NemesisKind, atMs: number): PlannedFault | undefined {
    let durationMs = this.random.int(this.durationMs.min, this.durationMs.max + 1);
    if (kind === 'pause') durationMs = Math.max(durationMs, this.pauseMinMs);
    const untilMs = atMs + durationMs + this.restartSlackMs;
    const action = this.planAction(kind, atMs, untilMs);
    return action === undefined ? undefined : { ...action, atMs, durationMs };
  }

  private planAction(kind: NemesisKind, fromMs: number, untilMs: number): PlannedAction | undefined {
    switch (kind) {
      case 'kill':
      case 'pause': {
        const role: Role = this.random.next() < 0.5 ? 'controller' : 'broker';
        const processes = this.pickProcesses(role, fromMs, untilMs, kind === 'kill');
        if (processes === undefined) return undefined;
        return { kind, processes };
      }
      case 'corrupt': {
        const [broker] = this.pickProcesses('broker', fromMs, untilMs, false) ?? [];
        if (broker === undefined || broker.nodeId === 'active') return undefined;
        const damage = this.pick(TAIL_DAMAGE_KINDS);
        return { kind, brokerId: broker.nodeId, damage, damageSeed: this.random.int(0, 0x7fff_ffff) };
      }
      case 'partition':
        return this.planPartition(fromMs, untilMs);
      case 'clock':
        return this.planClock(fromMs, untilMs);
      case 'slow': {
        const [from, to] = this.twoProcesses();
        const delayMs = this.random.int(
          NEMESIS_DEFAULTS.slowDelayMs.min,
          NEMESIS_DEFAULTS.slowDelayMs.max + 1,
        );
        const links =
          this.random.next() < 0.5
            ? [{ from, to }]
            : [
                { from, to },
                { from: to, to: from },
              ];
        return { kind, links, delayMs };
      }
    }
  }

  /** Mostly brokers (they hold the logs retention judges), sometimes a controller. */
  private planClock(fromMs: number, untilMs: number): PlannedAction | undefined {
    const role: Role = this.random.next() < 0.75 ? 'broker' : 'controller';
    const nodeId = this.pick(role === 'broker' ? this.options.brokerIds : this.options.controllerIds);
    const name = processName(role, nodeId);
    if ((this.clockJumpsUntilMs.get(name) ?? 0) > fromMs) return undefined;
    this.clockJumpsUntilMs.set(name, untilMs);
    const forward = this.random.next() < 0.5;
    const range = forward ? NEMESIS_DEFAULTS.clockForwardMs : NEMESIS_DEFAULTS.clockBackwardMs;
    const magnitudeMs = this.random.int(range.min, range.max + 1);
    return { kind: 'clock', process: { role, nodeId }, offsetMs: forward ? magnitudeMs : -magnitudeMs };
  }

  private planPartition(fromMs: number, untilMs: number): PlannedAction | undefined {
    const roll = this.random.next();
    const mode = roll < 0.4 ? 'one-way' : roll < 0.8 ? 'two-way' : 'isolate';
    // The cut link is peer -> victim (and back for two-way); isolate cuts the victim from everyone.
    const [peer, victim] = this.twoProcesses();
    const role: Role = victim.startsWith('controller') ? 'controller' : 'broker';
    if (!this.fits(role, victim, fromMs, untilMs, 1)) return undefined;
    this.impairments.push({ fromMs, untilMs, role, name: victim });
    return mode === 'isolate'
      ? { kind: 'partition', mode, victim }
      : { kind: 'partition', mode, victim, peer };
  }

  /**
   * 1..minority processes of a role that are not impaired in [fromMs, untilMs), recorded as impaired; for a
   * controller kill, sometimes "the active controller" instead of ids. Undefined when none fit.
   */
  private pickProcesses(role: Role, fromMs: number, untilMs: number, mayTargetActive: boolean) {
    const ids = role === 'controller' ? this.options.controllerIds : this.options.brokerIds;
    const minority = Math.floor((ids.length - 1) / 2);
    if (minority === 0) return undefined;
    const count = this.random.int(1, minority + 1);
    if (role === 'controller' && mayTargetActive && count === 1 && this.random.next() < 0.5) {
      if (!this.fits(role, undefined, fromMs, untilMs, 1)) return undefined;
      this.impairments.push({ fromMs, untilMs, role, name: undefined });
      return [{ role, nodeId: 'active' as const }];
    }
    const chosen = this.shuffle(ids).slice(0, count);
    for (const id of chosen) {
      if (!this.fits(role, processName(role, id), fromMs, untilMs, count)) return undefined;
    }
    for (const id of chosen) this.impairments.push({ fromMs, untilMs, role, name: processName(role, id) });
    return chosen.map((nodeId) => ({ role, nodeId }));
  }

  /** Whether `adding` more impaired processes of `role` (one of them `name`) keep within the budget. */
  private fits(role: Role, name: string | undefined, fromMs: number, untilMs: number, adding: number) {
    const ids = role === 'controller' ? this.options.controllerIds : this.options.brokerIds;
    const minority = Math.floor((ids.length - 1) / 2);
    this.impairments = this.impairments.filter((impairment) => impairment.untilMs > fromMs);
    const overlapping = this.impairments.filter(
      (impairment) => impairment.role === role && impairment.fromMs < untilMs,
    );
    // An "active controller" impairment may be any controller, so it conflicts with every controller name.
    const clash = overlapping.some(
      (impairment) => impairment.name === undefined || name === undefined || impairment.name === name,
    );
    return !clash && overlapping.length + adding <= minority;
  }

  /**
   * A directed pair [from, to] whose link carries traffic: controllers never open connections to brokers
   * (brokers pull metadata and heartbeat), so controller -> broker is never chosen.
   */
  private twoProcesses(): [string, string] {
    const all = [
      ...this.options.controllerIds.map((id) => processName('controller', id)),
      ...this.options.brokerIds.map((id) => processName('broker', id)),
    ];
    const pairs: [string, string][] = [];
    for (const from of all) {
      for (const to of all) {
        if (from !== to && !(from.startsWith('controller') && to.startsWith('broker')))
          pairs.push([from, to]);
      }
    }
    return this.pick(pairs);
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[this.random.int(0, items.length)];
    assert(item !== undefined, 'pick from a non-empty list');
    return item;
  }

  /** Fisher–Yates with the seeded generator. */
  private shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.random.int(0, i + 1);
      const a = copy[i];
      const b = copy[j];
      if (a === undefined || b === undefined) continue;
      copy[i] = b;
      copy[j] = a;
    }
    return copy;
  }
}

/** The first `count` faults of the plan for these options: a pure function of them. */
export function planFaults(options: PlanOptions, count: number): PlannedFault[] {
  assert(Number.isInteger(count) && count >= 0, 'count must be a non-negative integer');
  const planner = new FaultPlanner(options);
  return Array.from({ length: count }, () => planner.next());
}
