/**
 * One chaos run: start a cluster of real processes, run the workloads while the nemesis injects faults,
 * heal, let the cluster settle, read every partition back and run every checker over the history. Every
 * wait is bounded; the cluster is always stopped. The seed fixes the nemesis schedule (not the OS's
 * scheduling), so a failing seed is a strong hint to replay, not a guarantee.
 */
import type { Cluster } from '../cluster.js';
import { withStartedCluster } from '../cluster.js';
import { sleep, waitFor } from '../wait.js';
import { type Anomaly, CHECKERS } from './checkers.js';
import { emptyHistory, type History } from './history.js';
import { createNemesis } from './nemesis.js';
import type { FaultRecord, Nemesis, NemesisKind } from './nemesis-types.js';
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
  /**
   * With the clock nemesis: the topic keeps data 10 minutes, far longer than a run, in small segments, and
   * brokers apply retention every 500 ms. A forward jump (an hour or more) then finds closed segments that a
   * rule judging age by the wall clock alone would delete, acknowledged records the final read would miss.
   * The smallest segments a topic accepts (1 KiB): with 4 KiB, seed 60's early jump met no closed segment, and
   * Kafka's rule put back in the log went unnoticed; with 1 KiB that run fails (a leader's log started at 144).
   */
  clockRetentionMs: 10 * 60 * 1000,
  clockSegmentBytes: 1024,
  clockRetentionCheckIntervalMs: 500,
} as const;

export interface ChaosOptions {
  readonly durationS: number;
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  readonly brokers?: number;
  /**
   * The suite's self-check: produce WITHOUT idempotence and lose some Produce responses after the append, so the
   * retries write duplicates that the checkers must find (see chaos.test.ts).
   */
  readonly brokenProducer?: boolean;
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
  return withStartedCluster(
    {
      controllers: CHAOS_DEFAULTS.controllers,
      brokers: options.brokers ?? CHAOS_DEFAULTS.brokers,
      // Cutting and slowing links needs every link to go through a proxy the nemesis controls.
      linkProxies: options.kinds.includes('partition') || options.kinds.includes('slow'),
      ...(options.kinds.includes('clock')
        ? {
            brokerArgs: [
              '--log-retention-check-interval-ms',
              String(CHAOS_DEFAULTS.clockRetentionCheckIntervalMs),
            ],
          }
        : {}),
    },
    log,
    (cluster) => runOnCluster(cluster, options, log),
  );
}

async function runOnCluster(
  cluster: Cluster,
  options: ChaosOptions,
  log: (line: string) => void,
): Promise<ChaosResult> {
  const history = emptyHistory(CHAOS_DEFAULTS.topic, CHAOS_DEFAULTS.partitions);
  await createTopic(cluster, options.kinds.includes('clock'));
  const observer = new MetadataObserver(cluster, history);
  const producers = new ProducerWorkload(
    cluster,
    history,
    options.brokenProducer === true ? { broken: true } : {},
  );
  const consumers = new ConsumerWorkload(cluster, history);
  const { nemesis, name: nemesisName } = makeNemesis(cluster, options);
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

export function skippedFaults(nemesis: Nemesis): number | undefined {
  const skipped = (nemesis as { skippedFaults?: unknown }).skippedFaults;
  return typeof skipped === 'number' ? skipped : undefined;
}

/**
 * What the nemesis saw go wrong with the processes themselves: a heal that failed (a broker that does not
 * come back after a corrupted tail) or a process that died without being killed (a crash).
 */
export function processProblems(nemesis: Nemesis): Anomaly[] {
  const problems = (nemesis as { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return [];
  return problems.map((problem) => ({
    kind: 'process-problem',
    message: String(problem),
    records: [],
  }));
}

async function createTopic(cluster: Cluster, shortRetention: boolean): Promise<void> {
  const admin = cluster.quorum.admin();
  await admin.admin('CreateTopic', {
    name: CHAOS_DEFAULTS.topic,
    partitions: CHAOS_DEFAULTS.partitions,
    replicationFactor: CHAOS_DEFAULTS.replicationFactor,
    configs: [
      { name: 'min.insync.replicas', value: String(CHAOS_DEFAULTS.minInsyncReplicas) },
      ...(shortRetention
        ? [
            { name: 'retention.ms', value: String(CHAOS_DEFAULTS.clockRetentionMs) },
            { name: 'segment.bytes', value: String(CHAOS_DEFAULTS.clockSegmentBytes) },
          ]
        : []),
    ],
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

/** The seeded nemesis, or none at all when no fault kind is asked for (the suite's self-check runs). */
export function makeNemesis(
  cluster: Cluster,
  options: Pick<ChaosOptions, 'kinds' | 'seed'>,
): { nemesis: Nemesis; name: string } {
  if (options.kinds.length === 0)
    return { nemesis: { start() {}, stop: async () => {}, faults: [] }, name: 'no' };
  return { nemesis: createNemesis(cluster, { seed: options.seed, kinds: options.kinds }), name: 'seeded' };
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
