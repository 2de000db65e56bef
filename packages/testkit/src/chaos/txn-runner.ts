/**
 * One transactional chaos run (`npm run chaos -- --workload txn`): the same cluster, nemesis and healing as
 * runner.ts, with the transactional workload (txn-workloads.ts, txn-pipeline.ts) instead of the idempotent
 * one, then the transactional checkers (txn-checkers.ts) over the recorded TxnHistory. Every wait is bounded;
 * the cluster is always stopped.
 */
import type { Cluster } from '../cluster.js';
import { withStartedCluster } from '../cluster.js';
import { sleep, waitFor } from '../wait.js';
import { emptyHistory } from './history.js';
import type { FaultRecord, NemesisKind } from './nemesis-types.js';
import { makeNemesis, processProblems, skippedFaults } from './runner.js';
import { TXN_CHECKERS, type TxnAnomaly } from './txn-checkers.js';
import { txnFinalRead, waitForClosedTransactions } from './txn-final-read.js';
import { emptyTxnHistory, type TxnHistory } from './txn-history.js';
import { PIPELINE_SPEC, PipelineWorkload } from './txn-pipeline.js';
import { PollingConsumer, TXN_WORKLOAD_LIMITS, TxnProducerWorkload } from './txn-workloads.js';
import { waitForSettledCluster } from './workloads.js';

export const TXN_CHAOS_DEFAULTS = {
  controllers: 3,
  brokers: 3,
  replicationFactor: 3,
  minInsyncReplicas: 2,
  topicReadyTimeoutMs: 30_000,
  /** How long the polling consumers keep reading after everything else stopped. */
  consumerDrainMs: 3_000,
} as const;

export interface TxnChaosOptions {
  readonly durationS: number;
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  readonly brokers?: number;
  /**
   * The suite's own check: the read_committed consumer fetches read_uncommitted (its polls still say
   * read_committed), so the checkers must report aborted reads (see chaos.test.ts).
   */
  readonly brokenReadCommitted?: boolean;
  readonly log?: (line: string) => void;
}

export interface TxnChaosResult {
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  readonly nemesisName: string;
  readonly history: TxnHistory;
  readonly faults: readonly FaultRecord[];
  /** Checker name → its anomalies. */
  readonly anomalies: ReadonlyMap<string, readonly TxnAnomaly[]>;
  readonly skippedFaults: number | undefined;
  /** Waits after healing that did not end in time (the checks still ran). */
  readonly problems: readonly string[];
}

function txnTopics(): Map<string, number> {
  return new Map<string, number>([
    ...TXN_WORKLOAD_LIMITS.topics.map((topic): [string, number] => [topic, TXN_WORKLOAD_LIMITS.partitions]),
    [TXN_WORKLOAD_LIMITS.outputTopic, TXN_WORKLOAD_LIMITS.outputPartitions],
  ]);
}

export async function runTxnChaos(options: TxnChaosOptions): Promise<TxnChaosResult> {
  const log = options.log ?? (() => undefined);
  if (!(options.durationS > 0)) throw new RangeError(`duration must be > 0 s, got ${options.durationS}`);
  const brokers = options.brokers ?? TXN_CHAOS_DEFAULTS.brokers;
  log(`starting ${TXN_CHAOS_DEFAULTS.controllers} controllers and ${brokers} brokers`);
  return withStartedCluster(
    {
      controllers: TXN_CHAOS_DEFAULTS.controllers,
      brokers,
      linkProxies: options.kinds.includes('partition') || options.kinds.includes('slow'),
    },
    log,
    (cluster) => runOnCluster(cluster, options, log),
  );
}

async function runOnCluster(
  cluster: Cluster,
  options: TxnChaosOptions,
  log: (line: string) => void,
): Promise<TxnChaosResult> {
  const topics = txnTopics();
  const history = emptyTxnHistory(topics, PIPELINE_SPEC);
  for (const [topic, partitions] of topics) await createTopic(cluster, topic, partitions);
  const producers = new TxnProducerWorkload(cluster, history, options.seed);
  const consumers = [
    new PollingConsumer(cluster, history, 'rc-1', 'read_committed', topics, options.brokenReadCommitted),
    new PollingConsumer(cluster, history, 'ru-1', 'read_uncommitted', topics),
  ];
  const pipeline = new PipelineWorkload(cluster, history);
  const { nemesis, name: nemesisName } = makeNemesis(cluster, options);
  producers.start();
  pipeline.start();
  for (const consumer of consumers) consumer.start();
  log(`running ${options.durationS} s of transactions with the ${nemesisName} nemesis, seed ${options.seed}`);
  nemesis.start();
  try {
    await sleep(options.durationS * 1_000);
  } finally {
    log('healing');
    await nemesis.stop();
  }
  const problems: string[] = [];
  const problem = (what: string | undefined): void => {
    if (what === undefined) return;
    log(what);
    problems.push(what);
  };
  for (const [topic, partitions] of topics) {
    problem(await waitForSettledCluster(cluster, emptyHistory(topic, partitions)));
  }
  await producers.stop();
  problem(await waitForClosedTransactions(cluster, topics));
  log('draining the pipeline');
  problem(await pipeline.drain());
  await pipeline.stop();
  await pipeline.recordFinalOffsets().catch((error: unknown) => problem(`group offsets: ${String(error)}`));
  await sleep(TXN_CHAOS_DEFAULTS.consumerDrainMs);
  await Promise.allSettled(consumers.map((consumer) => consumer.stop()));
  problem(await waitForClosedTransactions(cluster, topics));
  log('final read');
  await txnFinalRead(cluster, history).catch((error: unknown) => problem(`final read: ${String(error)}`));
  const anomalies = new Map<string, readonly TxnAnomaly[]>();
  for (const [name, checker] of Object.entries(TXN_CHECKERS)) anomalies.set(name, checker(history));
  anomalies.set(
    'processes',
    processProblems(nemesis).map((p) => ({ ...p, kind: 'process-problem' as const })),
  );
  return {
    seed: options.seed,
    kinds: options.kinds,
    nemesisName,
    history,
    faults: nemesis.faults,
    skippedFaults: skippedFaults(nemesis),
    anomalies,
    problems,
  };
}

async function createTopic(cluster: Cluster, name: string, partitions: number): Promise<void> {
  await cluster.quorum.admin().admin('CreateTopic', {
    name,
    partitions,
    replicationFactor: TXN_CHAOS_DEFAULTS.replicationFactor,
    configs: [{ name: 'min.insync.replicas', value: String(TXN_CHAOS_DEFAULTS.minInsyncReplicas) }],
  });
  await waitFor(
    `${name} led on every broker`,
    async () => {
      for (const broker of cluster.brokers) {
        const metadata = await broker.metadata();
        const topic = metadata.topics.find((t) => t.topic?.name === name)?.topic;
        if ((topic?.partitions.filter((p) => p.leader >= 0).length ?? 0) < partitions) return undefined;
      }
      return true;
    },
    { timeoutMs: TXN_CHAOS_DEFAULTS.topicReadyTimeoutMs },
  );
}

/** Counts for the summary line. */
export function txnTotals(result: TxnChaosResult): {
  committed: number;
  aborted: number;
  indeterminate: number;
  anomalies: number;
} {
  const outcomes = result.history.transactions.map((t) => t.outcome);
  return {
    committed: outcomes.filter((o) => o === 'committed').length,
    aborted: outcomes.filter((o) => o === 'aborted').length,
    indeterminate: outcomes.filter((o) => o === 'indeterminate').length,
    anomalies: [...result.anomalies.values()].flat().length,
  };
}
