#!/usr/bin/env node
/**
 * Reassignment benchmark (issue 7): how fast partition data moves to a new broker, with and without the
 * replication throttle, and what the move does to produce traffic running at the same time.
 *
 * Each run starts 3 real controllers + 3 real brokers on 127.0.0.1, fills a 3-partition RF=3 topic with
 * `--fill-mb` of 1,000-byte records, adds broker 4 and then:
 *   1. baseline: `trib perf produce` at a steady rate with nothing moving (p99 latency, longest stall);
 *   2. unthrottled: every partition moves its broker-3 replica to broker 4 while the same produce load runs;
 *   3. throttled: every partition moves back from broker 4 to broker 3 with `--throttle` bytes/s.
 * A move's throughput is the bytes of the partitions' logs divided by the time from the request until the
 * controller lists no reassignment. Figures are medians over --runs; produce figures are also given as ratios
 * to the baseline measured in the same run.
 * Usage: node dist/reassign-bench.js [--runs N] [--fill-mb M] [--throttle-mb R] [--json]
 */
import { TributaryClient } from '@tributary/client';
import { unary } from '@tributary/protocol';
import { type Cluster, startCluster, waitFor } from '@tributary/testkit';
import { type PerfProduceResult, startTrib } from './broker/trib.js';
import { errorMessage, produceArgs, runBenchMain, sleep } from './cluster-helpers.js';
import { median, percentile, round } from './stats.js';

const TOPIC = 'reassign-bench';
const PARTITIONS = 3;
const RECORD_BYTES = 1_000;
/** The produce load that runs during each phase (records/s of 100 bytes) and its upper time bound. */
const LOAD = { batch: 50, intervalMs: 10, inFlightMax: 20 } as const;
const MOVE_TIMEOUT_MS = 300_000;

interface Options {
  readonly runs: number;
  readonly fillMb: number;
  readonly throttleMb: number;
  readonly json: boolean;
}

function parseOptions(argv: readonly string[]): Options | string {
  let runs = 3;
  let fillMb = 150;
  let throttleMb = 10;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--json') json = true;
    else if (flag === '--runs' && Number.isInteger(value) && value > 0) [runs, i] = [value, i + 1];
    else if (flag === '--fill-mb' && Number.isInteger(value) && value > 0) [fillMb, i] = [value, i + 1];
    else if (flag === '--throttle-mb' && Number.isFinite(value) && value > 0)
      [throttleMb, i] = [value, i + 1];
    else return `usage: reassign-bench [--runs N] [--fill-mb M] [--throttle-mb R] [--json] (bad: ${flag})`;
  }
  return { runs, fillMb, throttleMb, json };
}

interface LoadFigures {
  readonly p99Ms: number;
  readonly maxStallMs: number;
  readonly failed: number;
}

interface RunFigures {
  readonly movedMb: number;
  readonly unthrottledMbPerSecond: number;
  readonly throttledMbPerSecond: number;
  readonly baseline: LoadFigures;
  readonly unthrottledLoad: LoadFigures;
  readonly throttledLoad: LoadFigures;
}

/**
 * A steady acks=all load from an in-process producer: a batch of LOAD.batch 100-byte records every
 * LOAD.intervalMs, each send timed. It runs until stop() and then reports p99 send latency and the longest
 * time without an acknowledgement.
 */
function startLoad(client: TributaryClient, topic: string) {
  const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 60_000 });
  const latencies: number[] = [];
  const ackTimes: number[] = [];
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const value = 'x'.repeat(100);
  const startedAt = performance.now();
  const timer = setInterval(() => {
    if (inFlight.size >= LOAD.inFlightMax) return;
    const sentAt = performance.now();
    const messages = Array.from({ length: LOAD.batch }, () => ({ key: null, value }));
    const send: Promise<void> = producer.send({ topic, messages }).then(
      () => {
        const now = performance.now();
        latencies.push(now - sentAt);
        ackTimes.push(now);
      },
      () => {
        failed += LOAD.batch;
      },
    );
    inFlight.add(send);
    void send.finally(() => inFlight.delete(send));
  }, LOAD.intervalMs);
  return {
    async stop(): Promise<LoadFigures> {
      clearInterval(timer);
      await Promise.all(inFlight);
      const stoppedAt = performance.now();
      const times = [startedAt, ...ackTimes.sort((a, b) => a - b), stoppedAt];
      let maxStallMs = 0;
      for (let i = 1; i < times.length; i++)
        maxStallMs = Math.max(maxStallMs, (times[i] ?? 0) - (times[i - 1] ?? 0));
      return { p99Ms: round(percentile(latencies, 99), 1), maxStallMs: round(maxStallMs, 0), failed };
    },
  };
}

/** Bytes of each partition's log on its leader (Broker.DescribeReplicas). */
async function topicBytes(cluster: Cluster): Promise<number> {
  let total = 0;
  for (const broker of cluster.brokers.filter((b) => b.isRunning)) {
    const { partitions } = await unary(
      broker.brokerClient(),
      'DescribeReplicas',
      { partitions: [] },
      { deadlineMs: 5_000 },
    );
    for (const partition of partitions) if (partition.topic === TOPIC) total += Number(partition.sizeBytes);
  }
  return total;
}

/** Moves every partition's replica on `from` to `to`; resolves with the seconds until no move is listed. */
async function move(cluster: Cluster, from: number, to: number, throttleBytes: number): Promise<number> {
  const admin = cluster.quorum.admin();
  const { topics } = await admin.admin('DescribeTopics', { names: [TOPIC] });
  const targets = (topics[0]?.partitions ?? []).map((partition) => ({
    topic: TOPIC,
    partition: partition.partition,
    replicas: partition.replicas.map((id) => (id === from ? to : id)),
    cancel: false,
  }));
  const started = performance.now();
  const { results } = await admin.admin('AlterPartitionReassignments', {
    targets,
    throttleBytesPerSec: throttleBytes,
    removeThrottle: throttleBytes === 0,
    validateOnly: false,
  });
  const refused = results.filter((result) => result.errorCode !== '');
  if (refused.length > 0) throw new Error(`reassignment refused: ${JSON.stringify(refused)}`);
  await waitFor(
    `moves ${from} → ${to} complete`,
    async () => {
      const { reassignments } = await admin.admin('ListPartitionReassignments', { topics: [TOPIC] });
      return reassignments.length === 0 ? true : undefined;
    },
    { timeoutMs: MOVE_TIMEOUT_MS, intervalMs: 50 },
  );
  return (performance.now() - started) / 1_000;
}

/** Runs `phase` while the steady produce load runs; the load stops right after it. */
async function underLoad<T>(
  client: TributaryClient,
  phase: () => Promise<T>,
): Promise<{ value: T; load: LoadFigures }> {
  const load = startLoad(client, `${TOPIC}-load`);
  let value: T;
  try {
    await sleep(1_000);
    value = await phase();
  } catch (error) {
    await load.stop();
    throw error;
  }
  return { value, load: await load.stop() };
}

async function oneRun(options: Options, run: number): Promise<RunFigures> {
  const cluster = await startCluster({ brokers: 3, logLevel: 'warn' });
  try {
    const admin = cluster.quorum.admin();
    await admin.admin('CreateTopic', {
      name: TOPIC,
      partitions: PARTITIONS,
      replicationFactor: 3,
      configs: [],
    });
    await admin.admin('CreateTopic', {
      name: `${TOPIC}-load`,
      partitions: 3,
      replicationFactor: 3,
      configs: [],
    });
    const fill = startTrib<PerfProduceResult>(
      produceArgs(cluster, TOPIC, [
        '--messages',
        Math.ceil((options.fillMb * 1_000_000) / RECORD_BYTES),
        '--record-size',
        RECORD_BYTES,
      ]),
      { timeoutMs: 600_000 },
    );
    await fill.result;
    await cluster.addBroker(4);
    const bytes = await topicBytes(cluster);

    const client = new TributaryClient({ bootstrap: cluster.bootstrap });
    try {
      const baseline = await underLoad(client, () => sleep(8_000));
      const unthrottled = await underLoad(client, () => move(cluster, 3, 4, 0));
      const throttled = await underLoad(client, () =>
        move(cluster, 4, 3, Math.round(options.throttleMb * 1_000_000)),
      );
      const figures: RunFigures = {
        movedMb: round(bytes / 1_000_000, 1),
        unthrottledMbPerSecond: round(bytes / 1_000_000 / unthrottled.value, 1),
        throttledMbPerSecond: round(bytes / 1_000_000 / throttled.value, 1),
        baseline: baseline.load,
        unthrottledLoad: unthrottled.load,
        throttledLoad: throttled.load,
      };
      if (!options.json) {
        process.stdout.write(
          `run ${run}: moved ${figures.movedMb} MB (one replica of each partition): ` +
            `unthrottled ${figures.unthrottledMbPerSecond} MB/s, throttled ${figures.throttledMbPerSecond} MB/s; ` +
            `produce p99 / longest stall: baseline ${baseline.load.p99Ms} / ${baseline.load.maxStallMs} ms, ` +
            `unthrottled ${unthrottled.load.p99Ms} / ${unthrottled.load.maxStallMs} ms, ` +
            `throttled ${throttled.load.p99Ms} / ${throttled.load.maxStallMs} ms\n`,
        );
      }
      return figures;
    } finally {
      await client.close();
    }
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return 2;
  }
  const runs: RunFigures[] = [];
  const errors: string[] = [];
  for (let run = 1; run <= options.runs; run++) {
    try {
      runs.push(await oneRun(options, run));
    } catch (error) {
      errors.push(`run ${run}: ${errorMessage(error)}`);
      process.stderr.write(`run ${run} failed: ${errorMessage(error)}\n`);
    }
  }
  const med = (pick: (run: RunFigures) => number) => round(median(runs.map(pick)), 1);
  const baselineP99 = med((r) => r.baseline.p99Ms);
  const baselineStall = med((r) => r.baseline.maxStallMs);
  const report = {
    config: {
      ...options,
      partitions: PARTITIONS,
      recordBytes: RECORD_BYTES,
      loadRecordsPerSecond: (LOAD.batch * 1_000) / LOAD.intervalMs,
    },
    movedMb: med((r) => r.movedMb),
    unthrottledMbPerSecond: med((r) => r.unthrottledMbPerSecond),
    throttledMbPerSecond: med((r) => r.throttledMbPerSecond),
    produceP99Ms: {
      baseline: baselineP99,
      unthrottled: med((r) => r.unthrottledLoad.p99Ms),
      throttled: med((r) => r.throttledLoad.p99Ms),
    },
    produceLongestStallMs: {
      baseline: baselineStall,
      unthrottled: med((r) => r.unthrottledLoad.maxStallMs),
      throttled: med((r) => r.throttledLoad.maxStallMs),
    },
    produceFailed: med((r) => r.unthrottledLoad.failed + r.throttledLoad.failed),
    runs,
    errors,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const ratio = (value: number, base: number) => (base > 0 ? `×${round(value / base, 2)}` : 'n/a');
    process.stdout.write(
      `reassignment (median of ${runs.length}): ${report.movedMb} MB moved; ` +
        `unthrottled ${report.unthrottledMbPerSecond} MB/s, throttled (${options.throttleMb} MB/s limit) ` +
        `${report.throttledMbPerSecond} MB/s\n` +
        `produce p99: baseline ${baselineP99} ms, during unthrottled move ${report.produceP99Ms.unthrottled} ms ` +
        `(${ratio(report.produceP99Ms.unthrottled, baselineP99)}), during throttled move ` +
        `${report.produceP99Ms.throttled} ms (${ratio(report.produceP99Ms.throttled, baselineP99)})\n` +
        `produce longest stall: baseline ${baselineStall} ms, unthrottled ${report.produceLongestStallMs.unthrottled} ms, ` +
        `throttled ${report.produceLongestStallMs.throttled} ms; failed records ${report.produceFailed}\n`,
    );
  }
  return errors.length > 0 && runs.length === 0 ? 1 : 0;
}

runBenchMain('reassign-bench', main);
