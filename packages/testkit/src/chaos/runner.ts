/**
 * One chaos run: start a cluster of real processes, run the workloads while the nemesis injects faults,
 * heal, let the cluster settle, read every partition back and run every checker over the history. Every
 * wait is bounded; the cluster is always stopped. The seed fixes the nemesis schedule (not the OS's
 * scheduling), so a failing seed is a strong hint to replay, not a guarantee.
 */
import { SeededRandom } from '@tributary/core';
import type { Cluster } from '../cluster.js';
import { startCluster } from '../cluster.js';
import { sleep, waitFor } from '../wait.js';
import { type Anomaly, CHECKERS } from './checkers.js';
import { emptyHistory, type History } from './history.js';
import type { CreateNemesis, FaultRecord, Nemesis, NemesisKind } from './nemesis-types.js';
import {
  ConsumerWorkload,
  finalRead,
  MetadataObserver,
  ProducerWorkload,
  waitForSettledCluster,
} from './workloads.js';

export const CHAOS_DEFAULTS = {
  controllers: 3,
  brokers: 3,
  topic: 'chaos',
  partitions: 6,
  replicationFactor: 3,
  minInsyncReplicas: 2,
  topicReadyTimeoutMs: 30_000,
  /** How long the consumers may keep reading after the producers stopped, before they are stopped. */
  consumerDrainMs: 3_000,
  /** The built-in kill nemesis: one fault every this many ms, restarting after downMs. */
  fallbackIntervalMs: 4_000,
  fallbackDownMs: { min: 1_000, max: 3_000 },
} as const;

export interface ChaosOptions {
  readonly durationS: number;
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  readonly brokers?: number;
  /** Progress lines (not the summary); default: none. */
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  readonly nemesisName: string;
  readonly history: History;
  readonly faults: readonly FaultRecord[];
  /** Checker name → its anomalies. */
  readonly anomalies: ReadonlyMap<string, readonly Anomaly[]>;
  /** Planned faults the nemesis skipped because the real state did not allow them (undefined: not counted). */
  readonly skippedFaults: number | undefined;
  /** Set when the cluster did not settle in time after healing (the checks still ran). */
  readonly settleProblem: string | undefined;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  if (!(options.durationS > 0)) throw new RangeError(`duration must be > 0 s, got ${options.durationS}`);
  log(
    `starting ${CHAOS_DEFAULTS.controllers} controllers and ${options.brokers ?? CHAOS_DEFAULTS.brokers} brokers`,
  );
  const cluster = await startCluster({
    controllers: CHAOS_DEFAULTS.controllers,
    brokers: options.brokers ?? CHAOS_DEFAULTS.brokers,
    // Cutting and slowing links needs every link to go through a proxy the nemesis controls.
    linkProxies: options.kinds.includes('partition') || options.kinds.includes('slow'),
  });
  try {
    return await runOnCluster(cluster, options, log);
  } catch (error) {
    log(`run failed; process output follows\n${cluster.dump(40)}`);
    throw error;
  } finally {
    await cluster.stop();
  }
}

async function runOnCluster(
  cluster: Cluster,
  options: ChaosOptions,
  log: (line: string) => void,
): Promise<ChaosResult> {
  const history = emptyHistory(CHAOS_DEFAULTS.topic, CHAOS_DEFAULTS.partitions);
  await createTopic(cluster);
  const observer = new MetadataObserver(cluster, history);
  const producers = new ProducerWorkload(cluster, history);
  const consumers = new ConsumerWorkload(cluster, history);
  const { nemesis, name: nemesisName } = await makeNemesis(cluster, options);
  observer.start();
  producers.start();
  consumers.start();
  log(
    `running ${options.durationS} s with the ${nemesisName} nemesis (${options.kinds.join(',')}), seed ${options.seed}`,
  );
  nemesis.start();
  try {
    await sleep(options.durationS * 1_000);
  } finally {
    log('healing');
    await nemesis.stop();
  }
  const settleProblem = await waitForSettledCluster(cluster, history);
  if (settleProblem !== undefined) log(`cluster did not settle: ${settleProblem}`);
  await producers.stop();
  await sleep(CHAOS_DEFAULTS.consumerDrainMs);
  await consumers.stop();
  await observer.stop();
  log('final read');
  await finalRead(cluster, history);
  const anomalies = new Map<string, readonly Anomaly[]>();
  for (const [name, checker] of Object.entries(CHECKERS)) anomalies.set(name, checker(history));
  anomalies.set('processes', processProblems(nemesis));
  return {
    seed: options.seed,
    kinds: options.kinds,
    nemesisName,
    history,
    faults: nemesis.faults,
    skippedFaults: skippedFaults(nemesis),
    anomalies,
    settleProblem,
  };
}

function skippedFaults(nemesis: Nemesis): number | undefined {
  const skipped = (nemesis as { skippedFaults?: unknown }).skippedFaults;
  return typeof skipped === 'number' ? skipped : undefined;
}

/**
 * What the nemesis saw go wrong with the processes themselves: a heal that failed (a broker that does not
 * come back after a corrupted tail) or a process that died without being killed (a crash).
 */
function processProblems(nemesis: Nemesis): Anomaly[] {
  const problems = (nemesis as { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return [];
  return problems.map((problem) => ({
    kind: 'process-problem',
    message: String(problem),
    records: [],
  }));
}

async function createTopic(cluster: Cluster): Promise<void> {
  const admin = cluster.quorum.admin();
  await admin.admin('CreateTopic', {
    name: CHAOS_DEFAULTS.topic,
    partitions: CHAOS_DEFAULTS.partitions,
    replicationFactor: CHAOS_DEFAULTS.replicationFactor,
    configs: [{ name: 'min.insync.replicas', value: String(CHAOS_DEFAULTS.minInsyncReplicas) }],
  });
  await waitFor(
    `${CHAOS_DEFAULTS.topic} led on every broker`,
    async () => {
      for (const broker of cluster.brokers) {
        const metadata = await broker.metadata();
        const topic = metadata.topics.find((t) => t.topic?.name === CHAOS_DEFAULTS.topic)?.topic;
        const led = topic?.partitions.filter((p) => p.leader >= 0).length ?? 0;
        if (led < CHAOS_DEFAULTS.partitions) return undefined;
      }
      return true;
    },
    { timeoutMs: CHAOS_DEFAULTS.topicReadyTimeoutMs },
  );
}

/** The real nemesis (nemesis.ts) when it is there, else the tiny built-in kill nemesis below. */
async function makeNemesis(
  cluster: Cluster,
  options: ChaosOptions,
): Promise<{ nemesis: Nemesis; name: string }> {
  // A variable specifier: nemesis.ts is written separately and may not exist in this build.
  const specifier = './nemesis.js';
  try {
    const module = (await import(specifier)) as { createNemesis?: CreateNemesis };
    if (typeof module.createNemesis === 'function') {
      return {
        nemesis: module.createNemesis(cluster, { seed: options.seed, kinds: options.kinds }),
        name: 'full',
      };
    }
  } catch {
    // Missing module: fall through to the built-in nemesis.
  }
  return { nemesis: new KillNemesis(cluster, options.seed), name: 'built-in kill' };
}

/** SIGKILLs one seeded-random broker every few seconds and restarts it after a seeded pause. */
class KillNemesis implements Nemesis {
  readonly faults: FaultRecord[] = [];
  private readonly random: SeededRandom;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly cluster: Cluster,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    // Heal: whatever is down comes back.
    await Promise.allSettled(this.cluster.brokers.filter((b) => !b.isRunning).map((b) => b.restart()));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await sleep(CHAOS_DEFAULTS.fallbackIntervalMs);
      if (this.stopped) return;
      const broker = this.cluster.brokers[this.random.int(0, this.cluster.brokers.length)];
      if (broker === undefined) continue;
      const { min, max } = CHAOS_DEFAULTS.fallbackDownMs;
      const downMs = this.random.int(min, max + 1);
      const fault: FaultRecord = {
        atMs: performance.now(),
        kind: 'kill',
        target: `broker ${broker.nodeId}`,
        detail: `SIGKILL, restart after ${downMs} ms`,
      };
      this.faults.push(fault);
      await broker.kill('SIGKILL');
      await sleep(downMs);
      await broker.restart().catch(() => undefined);
      fault.healedAtMs = performance.now();
    }
  }
}

/** Counts for the summary line. */
export function totals(result: ChaosResult): {
  acked: number;
  lost: number;
  duplicated: number;
  anomalies: number;
} {
  const all = [...result.anomalies.values()].flat();
  return {
    acked: result.history.sends.filter((s) => s.outcome.type === 'acked').length,
    lost: all.filter((a) => a.kind === 'lost-write').length,
    duplicated: all.filter((a) => a.kind === 'duplicate').length,
    anomalies: all.length,
  };
}
