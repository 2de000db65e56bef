/**
 * The nemesis: executes the seeded plan of nemesis-plan.ts against a running Cluster of real processes.
 * - kill: SIGKILL brokers or controllers (by id, or the active controller), restart them when the fault ends;
 * - pause: SIGSTOP, then SIGCONT (at least NEMESIS_DEFAULTS.pauseMinMs: past the broker session timeout);
 * - corrupt: SIGKILL a broker, damage the tail of a partition's active segment (data-faults.ts), restart it;
 * - partition: cut links one-way, two-way or isolate a process from every other one and from clients;
 * - slow: add latency to a link one or both ways;
 * - clock: jump a process's wall clock forwards (an hour to a day) or backwards (minutes), its monotonic
 *   clock untouched, and jump it back to the real one when the fault ends (wall-clock-offset.ts).
 * partition and slow need a cluster started with `linkProxies: true` (see link-proxy.ts for what a link is).
 *
 * Before each injection the nemesis checks the real state too (the plan assumed heals on time): a fault that
 * would put a majority of controllers or brokers down, or hit a process that is down or paused, is skipped
 * and counted. `stop()` cancels the schedule, heals every open fault at once, then sweeps: links healed,
 * paused processes resumed, processes it killed restarted. Every step is bounded by the harness timeouts.
 * Heals that fail (a broker that does not come back after a corrupted tail is a finding) and processes found
 * dead that the nemesis did not kill (a crash) go to `problems` rather than throwing.
 */
import { SeededRandom } from '@tributary/core';
import type { BrokerProcess } from '../broker-process.js';
import type { Cluster } from '../cluster.js';
import type { ControllerProcess } from '../controller-process.js';
import { HARNESS_LIMITS } from '../limits.js';
import { setWallClockOffset } from '../wall-clock-offset.js';
import { damagePartitionTail, type TailDamageKind } from './data-faults.js';
import { ANY_SOURCE, type LinkNetwork } from './link-proxy.js';
import { FaultPlanner, type PlannedFault, type ProcessRef, processName, type Role } from './nemesis-plan.js';
import type { CreateNemesis, FaultRecord, Nemesis, NemesisOptions } from './nemesis-types.js';

export interface ChaosNemesis extends Nemesis {
  /** Heals that failed and processes found dead that the nemesis had not killed; empty on a healthy run. */
  readonly problems: readonly string[];
  /** Planned faults not injected because the real state did not allow them (see the module comment). */
  readonly skippedFaults: number;
}

interface Target {
  readonly name: string;
  readonly role: Role;
  readonly node: ControllerProcess | BrokerProcess;
}

interface OpenFault {
  readonly record: FaultRecord;
  readonly heal: () => Promise<void>;
  timer: NodeJS.Timeout | undefined;
}

/** A fault being injected: the record to publish and how to undo it. */
interface Injection {
  readonly target: string;
  readonly detail: string;
  readonly heal: () => Promise<void>;
}

class ClusterNemesis implements ChaosNemesis {
  readonly faults: FaultRecord[] = [];
  readonly problems: string[] = [];
  skippedFaults = 0;
  private readonly planner: FaultPlanner;
  private readonly targets: readonly Target[];
  private readonly open = new Set<OpenFault>();
  private readonly healing = new Set<Promise<void>>();
  /** Processes the nemesis killed and has not yet seen ready again. */
  private readonly down = new Set<string>();
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly cluster: Cluster,
    options: NemesisOptions,
  ) {
    const linkKinds = options.kinds.filter((kind) => kind === 'partition' || kind === 'slow');
    if (linkKinds.length > 0 && cluster.links === undefined) {
      throw new Error(`nemesis ${linkKinds.join(',')} needs a cluster started with linkProxies: true`);
    }
    this.targets = [
      ...cluster.quorum.nodes.map((node) => ({
        name: processName('controller', node.nodeId),
        role: 'controller' as const,
        node,
      })),
      ...cluster.brokers.map((node) => ({
        name: processName('broker', node.nodeId),
        role: 'broker' as const,
        node,
      })),
    ];
    this.planner = new FaultPlanner({
      seed: options.seed,
      kinds: options.kinds,
      controllerIds: cluster.quorum.nodes.map((node) => node.nodeId),
      brokerIds: cluster.brokers.map((broker) => broker.nodeId),
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
      ...(options.faultDurationMs === undefined ? {} : { faultDurationMs: options.faultDurationMs }),
    });
  }

  start(): void {
    if (this.loop !== undefined || this.stopped) throw new Error('the nemesis was started already');
    this.loop = this.run().catch((error: unknown) => {
      this.problems.push(`nemesis loop failed: ${describe(error)}`);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopSignal.abort();
    await this.loop;
    for (const fault of [...this.open]) {
      clearTimeout(fault.timer);
      this.healNow(fault);
    }
    await Promise.allSettled([...this.healing]);
    await this.sweep();
  }

  private async run(): Promise<void> {
    const startedMs = performance.now();
    while (!this.stopSignal.signal.aborted) {
      const planned = this.planner.next();
      const waitMs = startedMs + planned.atMs - performance.now();
      if (waitMs > 0 && !(await this.sleep(waitMs))) return;
      let injection: Injection | undefined;
      try {
        injection = await this.inject(planned);
      } catch (error) {
        this.problems.push(`injecting ${planned.kind} failed: ${describe(error)}`);
      }
      if (injection === undefined) {
        this.skippedFaults += 1;
        continue;
      }
      const record: FaultRecord = {
        atMs: performance.now(),
        kind: planned.kind,
        target: injection.target,
        detail: injection.detail,
      };
      this.faults.push(record);
      const fault: OpenFault = { record, heal: injection.heal, timer: undefined };
      this.open.add(fault);
      fault.timer = setTimeout(() => this.healNow(fault), planned.durationMs);
    }
  }

  /** Resolves true after `ms`, false at once when the nemesis is stopped. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.stopSignal.signal;
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(false);
        return;
      }
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private healNow(fault: OpenFault): void {
    if (!this.open.delete(fault)) return;
    const healing = fault.heal().then(
      () => {
        fault.record.healedAtMs = performance.now();
      },
      (error: unknown) => {
        this.problems.push(
          // The whole message: a process that did not come back carries its output tail, the only evidence.
          `healing ${fault.record.kind} of ${fault.record.target} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
    this.healing.add(healing);
    void healing.finally(() => this.healing.delete(healing));
  }

  private inject(planned: PlannedFault): Promise<Injection | undefined> {
    switch (planned.kind) {
      case 'kill':
        return this.injectKill(planned.processes);
      case 'pause':
        return this.injectPause(planned.processes);
      case 'corrupt':
        return this.injectCorrupt(planned.brokerId, planned.damage, planned.damageSeed);
      case 'partition':
        return Promise.resolve(this.injectPartition(planned.mode, planned.victim, planned.peer));
      case 'slow':
        return Promise.resolve(this.injectSlow(planned.links, planned.delayMs));
      case 'clock':
        return this.injectClock(planned.process, planned.offsetMs);
    }
  }

  private async injectKill(refs: readonly ProcessRef[]): Promise<Injection | undefined> {
    const victims = await this.resolve(refs);
    if (victims === undefined) return undefined;
    for (const victim of victims) this.down.add(victim.name);
    await Promise.all(victims.map((victim) => victim.node.kill('SIGKILL')));
    return {
      target: victims.map((victim) => victim.name).join(', '),
      detail: `SIGKILL${refs.some((ref) => ref.nodeId === 'active') ? ' (the active controller)' : ''}`,
      heal: () => this.restartAll(victims),
    };
  }

  private async injectPause(refs: readonly ProcessRef[]): Promise<Injection | undefined> {
    const victims = await this.resolve(refs);
    if (victims === undefined) return undefined;
    for (const victim of victims) victim.node.pause();
    return {
      target: victims.map((victim) => victim.name).join(', '),
      detail: 'SIGSTOP',
      heal: async () => {
        for (const victim of victims) victim.node.resume();
      },
    };
  }

  private async injectCorrupt(
    brokerId: number,
    damage: TailDamageKind,
    damageSeed: number,
  ): Promise<Injection | undefined> {
    const victims = await this.resolve([{ role: 'broker', nodeId: brokerId }]);
    const victim = victims?.[0];
    if (victim === undefined) return undefined;
    this.down.add(victim.name);
    await victim.node.kill('SIGKILL');
    const done = await damagePartitionTail(victim.node.dataDir, new SeededRandom(damageSeed), damage);
    return {
      target: victim.name,
      detail: `SIGKILL, then ${done === undefined ? 'no partition data to damage' : `${done.detail} in ${done.segmentFile}`}`,
      heal: () => this.restartAll([victim]),
    };
  }

  private injectPartition(mode: 'one-way' | 'two-way' | 'isolate', victim: string, peer: string | undefined) {
    const links = this.links();
    if (!this.isAvailable(victim, 1)) return undefined;
    const cuts: [string, string][] = [];
    if (mode === 'isolate' || peer === undefined) {
      cuts.push([ANY_SOURCE, victim]);
      for (const other of links.destinations) if (other !== victim) cuts.push([victim, other]);
    } else {
      cuts.push([peer, victim]);
      if (mode === 'two-way') cuts.push([victim, peer]);
    }
    for (const [from, to] of cuts) links.cut(from, to);
    const target =
      mode === 'isolate' || peer === undefined
        ? `isolate ${victim}`
        : `link ${peer} ${mode === 'two-way' ? '<->' : '->'} ${victim}`;
    return {
      target,
      detail: `${mode} partition: ${cuts.map(([from, to]) => `${from === ANY_SOURCE ? 'all' : from} -> ${to}`).join(', ')}`,
      heal: async () => {
        for (const [from, to] of cuts) links.uncut(from, to);
      },
    };
  }

  /** Any process, up or down (a down one starts with the jumped clock); never counted as impaired. */
  private async injectClock(ref: ProcessRef, offsetMs: number): Promise<Injection | undefined> {
    const target = this.targets.find((t) => t.role === ref.role && t.node.nodeId === ref.nodeId);
    if (target === undefined) return undefined;
    await setWallClockOffset(target.node.dataDir, offsetMs);
    return {
      target: target.name,
      detail: `wall clock ${offsetMs > 0 ? '+' : ''}${Math.round(offsetMs / 60_000)} min`,
      heal: () => setWallClockOffset(target.node.dataDir, 0),
    };
  }

  private injectSlow(pairs: readonly { from: string; to: string }[], delayMs: number): Injection {
    const links = this.links();
    for (const { from, to } of pairs) links.slow(from, to, delayMs);
    return {
      target: pairs.map(({ from, to }) => `link ${from} -> ${to}`).join(', '),
      detail: `+${delayMs} ms per chunk`,
      heal: async () => {
        for (const { from, to } of pairs) links.unslow(from, to, delayMs);
      },
    };
  }

  /**
   * The processes a fault would hit, or undefined when it must be skipped: one is down or paused, or the
   * fault would leave a majority of its role impaired.
   */
  private async resolve(refs: readonly ProcessRef[]): Promise<Target[] | undefined> {
    const victims: Target[] = [];
    for (const ref of refs) {
      const nodeId = ref.nodeId === 'active' ? await this.activeControllerId() : ref.nodeId;
      const target = this.targets.find((t) => t.role === ref.role && t.node.nodeId === nodeId);
      if (target === undefined || victims.includes(target)) return undefined;
      victims.push(target);
    }
    return victims.every((victim) => this.isAvailable(victim.name, victims.length)) ? victims : undefined;
  }

  /** Whether `name` is up and `adding` more impaired processes of its role still leave a majority up. */
  private isAvailable(name: string, adding: number): boolean {
    const target = this.targets.find((t) => t.name === name);
    if (target === undefined) return false;
    const impaired = (t: Target) => this.down.has(t.name) || !t.node.isRunning || t.node.process.isPaused;
    if (impaired(target)) return false;
    const sameRole = this.targets.filter((t) => t.role === target.role);
    const impairedNow = sameRole.filter(impaired).length;
    return impairedNow + adding <= Math.floor((sameRole.length - 1) / 2);
  }

  private async activeControllerId(): Promise<number | undefined> {
    const views = await this.cluster.quorum.describeAll(HARNESS_LIMITS.rpcDeadlineMs);
    for (const view of views.values()) if (view.role === 'leader') return view.nodeId;
    return undefined;
  }

  private async restartAll(victims: readonly Target[]): Promise<void> {
    await Promise.all(
      victims.map(async (victim) => {
        if (!victim.node.isRunning) victim.node.start();
        await victim.node.waitReady(HARNESS_LIMITS.readyTimeoutMs);
        this.down.delete(victim.name);
      }),
    );
  }

  /** After every heal: no link faults, nothing paused, every process the nemesis killed running again. */
  private async sweep(): Promise<void> {
    this.cluster.links?.healAll();
    if (this.faults.some((fault) => fault.kind === 'clock')) {
      await Promise.all(this.targets.map((target) => setWallClockOffset(target.node.dataDir, 0)));
    }
    for (const target of this.targets) target.node.resume();
    const results = await Promise.allSettled(
      this.targets.map(async (target) => {
        if (target.node.isRunning && !this.down.has(target.name)) return;
        if (!this.down.has(target.name)) {
          this.problems.push(`${target.name} was not running at stop() and the nemesis had not killed it`);
          return;
        }
        await this.restartAll([target]);
      }),
    );
    for (const [index, result] of results.entries()) {
      if (result.status === 'rejected') {
        this.problems.push(
          `restarting ${this.targets[index]?.name} at stop() failed: ${describe(result.reason)}`,
        );
      }
    }
  }

  private links(): LinkNetwork {
    const links = this.cluster.links;
    if (links === undefined) throw new Error('link faults need a cluster started with linkProxies: true');
    return links;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/** Creates the nemesis for a running cluster; see the module comment and nemesis-types.ts. */
export const createNemesis = ((cluster: Cluster, options: NemesisOptions): ChaosNemesis =>
  new ClusterNemesis(cluster, options)) satisfies CreateNemesis;
