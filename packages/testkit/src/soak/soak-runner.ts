/**
 * A soak run (issue 16 item 5): a 3+3 cluster of real processes under mixed load for a long time — an
 * idempotent producer at a fixed rate (half the maximum measured on the same cluster first, unless given),
 * a reader that checks every record from the start of every partition, and a consumer group — while the
 * chaos nemesis kills or pauses a process every few minutes. Every interval it samples throughput, the
 * acknowledgement latency, and the RSS and open file descriptors of every process; at the end the reader
 * must have read every acknowledged record once and in order, and no process may keep growing.
 *
 * Records are checked as a stream (sequence-checker.ts): an hour at tens of thousands of records a second is
 * more than the chaos suite's history could hold. Every loop is bounded by the run's duration or a timeout.
 */
import { readdir, readFile } from 'node:fs/promises';
import { type GroupConsumer, type Producer, TributaryClient } from '@tributary/client';
import { assert } from '@tributary/core';
import { createNemesis } from '../chaos/nemesis.js';
import type { Nemesis, NemesisKind } from '../chaos/nemesis-types.js';
import type { Cluster } from '../cluster.js';
import { withStartedCluster } from '../cluster.js';
import { sleep, waitFor } from '../wait.js';
import { SequenceChecker, sequenceValue } from './sequence-checker.js';
import {
  findGrowth,
  type GrowthFinding,
  type ProcessSample,
  percentiles,
  type SoakSample,
} from './soak-report.js';

export const SOAK_DEFAULTS = {
  topic: 'soak',
  partitions: 6,
  replicationFactor: 3,
  minInsyncReplicas: 2,
  recordSizeBytes: 200,
  /** Records per send: a batch of about 20 KB at the default size. */
  recordsPerSend: 100,
  /** Sends outstanding at once; the rate falls behind (and the report shows it) rather than queue without bound. */
  sendsInFlightMax: 32,
  /** How often the load generator issues the sends that are due. */
  tickMs: 10,
  calibrationS: 20,
  /** The share of the measured maximum the soak runs at. */
  rateShare: 0.5,
  groupMembers: 2,
  group: 'soak-group',
  faultIntervalS: 180,
  faultDurationMs: { min: 5_000, max: 20_000 },
  /** After the producers stop: how long the reader may take to read everything acknowledged. */
  drainTimeoutMs: 120_000,
  topicReadyTimeoutMs: 30_000,
  consumerRestartBackoffMs: 500,
} as const;

export interface SoakOptions {
  readonly durationS: number;
  readonly intervalS: number;
  readonly seed: number;
  /** Records per second; default: SOAK_DEFAULTS.rateShare of the rate measured by a calibration run. */
  readonly ratePerS?: number;
  readonly kinds: readonly NemesisKind[];
  readonly faultIntervalS?: number;
  readonly recordSizeBytes?: number;
  /** Each sample as it is taken (progress). */
  readonly onSample?: (sample: SoakSample) => void;
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly seed: number;
  readonly ratePerS: number;
  /** The unthrottled rate the calibration reached (undefined when the rate was given). */
  readonly calibratedPerS: number | undefined;
  readonly samples: readonly SoakSample[];
  readonly acked: number;
  readonly failed: number;
  readonly read: number;
  readonly anomalies: readonly string[];
  readonly growth: readonly GrowthFinding[];
  readonly faults: number;
}

/** What one interval accumulates; reset by the sampler. */
class IntervalCounters {
  acked = 0;
  failedSends = 0;
  read = 0;
  groupRead = 0;
  latenciesMs: number[] = [];

  take(): IntervalCounters {
    const taken = Object.assign(new IntervalCounters(), this);
    this.acked = 0;
    this.failedSends = 0;
    this.read = 0;
    this.groupRead = 0;
    this.latenciesMs = [];
    return taken;
  }
}

/** Issues sends at a rate (or as fast as the in-flight bound allows) with per-partition sequences. */
class LoadGenerator {
  private readonly nextSeq: number[];
  private inFlight = 0;
  private issued = 0;
  private stopped = false;
  private partitionCursor = 0;
  private readonly settled = new Set<Promise<void>>();
  ackedTotal = 0;
  failedTotal = 0;

  constructor(
    private readonly producer: Producer,
    private readonly name: string,
    private readonly checker: SequenceChecker,
    private readonly counters: IntervalCounters,
    private readonly recordSizeBytes: number,
  ) {
    this.nextSeq = Array.from({ length: SOAK_DEFAULTS.partitions }, () => 0);
  }

  /** Runs until stop(); `ratePerS` undefined means as fast as the in-flight bound allows. */
  async run(ratePerS: number | undefined): Promise<void> {
    const startedMs = performance.now();
    while (!this.stopped) {
      const dueRecords =
        ratePerS === undefined
          ? Number.POSITIVE_INFINITY
          : Math.floor(((performance.now() - startedMs) / 1_000) * ratePerS) - this.issued;
      let due = dueRecords;
      while (due > 0 && this.inFlight < SOAK_DEFAULTS.sendsInFlightMax && !this.stopped) {
        const count = Math.min(SOAK_DEFAULTS.recordsPerSend, due);
        this.issue(count);
        due -= count;
      }
      await sleep(SOAK_DEFAULTS.tickMs);
    }
    await Promise.allSettled([...this.settled]);
  }

  stop(): void {
    this.stopped = true;
  }

  private issue(count: number): void {
    const partition = this.partitionCursor;
    this.partitionCursor = (this.partitionCursor + 1) % SOAK_DEFAULTS.partitions;
    const first = this.nextSeq[partition] ?? 0;
    this.nextSeq[partition] = first + count;
    this.issued += count;
    this.inFlight++;
    const records = Array.from({ length: count }, (_, i) => ({
      key: null,
      value: sequenceValue(this.name, first + i, this.recordSizeBytes),
      partition,
    }));
    const sentMs = performance.now();
    const settled: Promise<void> = this.producer.sendWithResults(SOAK_DEFAULTS.topic, records).then(
      (results) => {
        this.counters.latenciesMs.push(performance.now() - sentMs);
        for (const [i, result] of results.entries()) {
          if ('error' in result) {
            this.checker.failed(partition, this.name, first + i);
            this.failedTotal++;
            this.counters.failedSends++;
          } else {
            this.checker.acked(partition, this.name, first + i);
            this.ackedTotal++;
            this.counters.acked++;
          }
        }
      },
      () => {
        for (let i = 0; i < count; i++) this.checker.failed(partition, this.name, first + i);
        this.failedTotal += count;
        this.counters.failedSends += count;
      },
    );
    this.settled.add(settled);
    void settled.finally(() => {
      this.inFlight--;
      this.settled.delete(settled);
    });
  }
}

/** Reads every partition from the start in order and hands each record to the checker; restarts on failure. */
class CheckingReader {
  private readonly abort = new AbortController();
  private readonly nextOffsets = new Map<number, number>();
  private running: Promise<void> | undefined;
  failures = 0;

  constructor(
    private readonly client: TributaryClient,
    private readonly checker: SequenceChecker,
    private readonly counters: IntervalCounters,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const consumer = this.client.consumer();
    while (!this.abort.signal.aborted) {
      try {
        const from =
          this.nextOffsets.size === 0
            ? ('earliest' as const)
            : new Map(
                Array.from({ length: SOAK_DEFAULTS.partitions }, (_, p) => [p, this.nextOffsets.get(p) ?? 0]),
              );
        for await (const records of consumer.consume(SOAK_DEFAULTS.topic, {
          from,
          signal: this.abort.signal,
        })) {
          for (const record of records) {
            const expected = this.nextOffsets.get(record.partition) ?? 0;
            // A restarted read may begin inside a batch it had read: skip what was checked already.
            if (record.offset < expected) continue;
            this.checker.read(record.partition, Buffer.from(record.value ?? []).toString());
            this.nextOffsets.set(record.partition, record.offset + 1);
            this.counters.read++;
          }
        }
      } catch {
        if (this.abort.signal.aborted) return;
        this.failures++;
        await sleep(SOAK_DEFAULTS.consumerRestartBackoffMs);
      }
    }
  }
}

/** One group member counting what it reads; a failed run starts a new member. */
class CountingMember {
  private consumer: GroupConsumer | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  failures = 0;

  constructor(
    private readonly client: TributaryClient,
    private readonly counters: IntervalCounters,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.close().catch(() => undefined);
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const consumer = this.client.consumer({ groupId: SOAK_DEFAULTS.group, fromBeginning: true });
      this.consumer = consumer;
      try {
        consumer.subscribe({ topics: [SOAK_DEFAULTS.topic] });
        await consumer.run({
          eachBatch: async ({ batch }) => {
            this.counters.groupRead += batch.messages.length;
          },
        });
      } catch {
        this.failures++;
      }
      await consumer.close().catch(() => undefined);
      if (!this.stopped) await sleep(SOAK_DEFAULTS.consumerRestartBackoffMs);
    }
  }
}

async function processSample(name: string, pid: number | undefined, starts: number): Promise<ProcessSample> {
  if (pid === undefined) return { name, starts, rssMb: undefined, fds: undefined };
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    const fds = (await readdir(`/proc/${pid}/fd`)).length;
    return { name, starts, rssMb: Number.isFinite(rssKb) ? rssKb / 1_024 : undefined, fds };
  } catch {
    return { name, starts, rssMb: undefined, fds: undefined };
  }
}

async function sampleProcesses(cluster: Cluster): Promise<ProcessSample[]> {
  const samples = [
    ...cluster.quorum.nodes.map((node) =>
      processSample(`controller ${node.nodeId}`, node.pid, node.process.starts),
    ),
    ...cluster.brokers.map((broker) =>
      processSample(`broker ${broker.nodeId}`, broker.process.pid, broker.process.starts),
    ),
    processSample('soak client', process.pid, 1),
  ];
  return Promise.all(samples);
}

async function createTopic(cluster: Cluster): Promise<void> {
  await cluster.quorum.admin().admin('CreateTopic', {
    name: SOAK_DEFAULTS.topic,
    partitions: SOAK_DEFAULTS.partitions,
    replicationFactor: SOAK_DEFAULTS.replicationFactor,
    configs: [{ name: 'min.insync.replicas', value: String(SOAK_DEFAULTS.minInsyncReplicas) }],
  });
  await waitFor(
    `${SOAK_DEFAULTS.topic} led on every broker`,
    async () => {
      for (const broker of cluster.brokers) {
        const metadata = await broker.metadata();
        const topic = metadata.topics.find((t) => t.topic?.name === SOAK_DEFAULTS.topic)?.topic;
        if ((topic?.partitions.filter((p) => p.leader >= 0).length ?? 0) < SOAK_DEFAULTS.partitions)
          return undefined;
      }
      return true;
    },
    { timeoutMs: SOAK_DEFAULTS.topicReadyTimeoutMs },
  );
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  assert(options.durationS > 0 && options.intervalS > 0, 'duration and interval must be positive');
  assert(options.ratePerS === undefined || options.ratePerS > 0, 'the rate must be positive');
  const log = options.log ?? (() => undefined);
  log('starting 3 controllers and 3 brokers');
  return withStartedCluster({ controllers: 3, brokers: 3 }, log, (cluster) =>
    runOnCluster(cluster, options, log),
  );
}

async function runOnCluster(
  cluster: Cluster,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakResult> {
  await createTopic(cluster);
  const recordSizeBytes = options.recordSizeBytes ?? SOAK_DEFAULTS.recordSizeBytes;
  const checker = new SequenceChecker();
  const counters = new IntervalCounters();
  const client = new TributaryClient({ bootstrap: cluster.bootstrap, allowAutoTopicCreation: false });
  const generators: LoadGenerator[] = [];
  try {
    let calibratedPerS: number | undefined;
    let ratePerS = options.ratePerS;
    if (ratePerS === undefined) {
      const calibration = new LoadGenerator(client.producer(), 'cal', checker, counters, recordSizeBytes);
      generators.push(calibration);
      log(
        `calibrating: as fast as ${SOAK_DEFAULTS.sendsInFlightMax} sends in flight allow, ${SOAK_DEFAULTS.calibrationS} s`,
      );
      const running = calibration.run(undefined);
      await sleep(SOAK_DEFAULTS.calibrationS * 1_000);
      calibration.stop();
      await running;
      calibratedPerS = calibration.ackedTotal / SOAK_DEFAULTS.calibrationS;
      ratePerS = Math.max(1, Math.round(calibratedPerS * SOAK_DEFAULTS.rateShare));
      log(`calibrated ${Math.round(calibratedPerS)} records/s; soaking at ${ratePerS} records/s`);
      counters.take();
    }
    const reader = new CheckingReader(client, checker, counters);
    const members = Array.from(
      { length: SOAK_DEFAULTS.groupMembers },
      () => new CountingMember(client, counters),
    );
    const generator = new LoadGenerator(client.producer(), 'p1', checker, counters, recordSizeBytes);
    generators.push(generator);
    const nemesis: Nemesis =
      options.kinds.length === 0
        ? { start() {}, stop: async () => {}, faults: [] }
        : createNemesis(cluster, {
            seed: options.seed,
            kinds: options.kinds,
            intervalMs: (options.faultIntervalS ?? SOAK_DEFAULTS.faultIntervalS) * 1_000,
            faultDurationMs: SOAK_DEFAULTS.faultDurationMs,
          });
    reader.start();
    for (const member of members) member.start();
    const producing = generator.run(ratePerS);
    nemesis.start();
    const samples: SoakSample[] = [];
    const startedMs = performance.now();
    let faultsSeen = 0;
    try {
      for (let index = 1; index * options.intervalS <= options.durationS; index++) {
        const dueMs = startedMs + index * options.intervalS * 1_000;
        await sleep(Math.max(0, dueMs - performance.now()));
        const taken = counters.take();
        const { p50, p99 } = percentiles(taken.latenciesMs);
        const faults = nemesis.faults.slice(faultsSeen).map((f) => `${f.kind} ${f.target}`);
        faultsSeen = nemesis.faults.length;
        const sample: SoakSample = {
          atS: index * options.intervalS,
          intervalS: options.intervalS,
          ackedPerS: taken.acked / options.intervalS,
          failedSends: taken.failedSends,
          ackP50Ms: p50,
          ackP99Ms: p99,
          readPerS: taken.read / options.intervalS,
          groupReadPerS: taken.groupRead / options.intervalS,
          faults,
          processes: await sampleProcesses(cluster),
        };
        samples.push(sample);
        options.onSample?.(sample);
      }
    } finally {
      log('healing');
      await nemesis.stop();
      generator.stop();
      await producing;
    }
    log('waiting for the reader to read everything acknowledged');
    await waitFor('the checking reader caught up', async () => (checker.caughtUp() ? true : undefined), {
      timeoutMs: SOAK_DEFAULTS.drainTimeoutMs,
    }).catch((error: unknown) => log(String(error)));
    await reader.stop();
    for (const member of members) await member.stop();
    checker.finish();
    const anomalies = checker
      .anomalies()
      .map((a) => `${a.kind}: partition ${a.partition} ${a.producer}: ${a.detail}`);
    const totalAnomalies = [...checker.anomalyCounts().values()].reduce((a, b) => a + b, 0);
    if (totalAnomalies > anomalies.length) anomalies.push(`... ${totalAnomalies - anomalies.length} more`);
    return {
      seed: options.seed,
      ratePerS,
      calibratedPerS,
      samples,
      acked: generators.reduce((n, g) => n + g.ackedTotal, 0),
      failed: generators.reduce((n, g) => n + g.failedTotal, 0),
      read: checker.recordsRead,
      anomalies,
      growth: findGrowth(samples),
      faults: nemesis.faults.length,
    };
  } finally {
    for (const generator of generators) generator.stop();
    client.close();
  }
}
