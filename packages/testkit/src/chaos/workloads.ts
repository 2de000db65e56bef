/**
 * The chaos workloads, recording into a History: idempotent producer workers, a consumer group of two
 * members committing what they handled, and a metadata observer asking every broker. They run against real
 * processes through @tributary/client and report everything they saw, faults included; judging is the
 * checkers' job. Every loop stops on stop() and every call has a deadline.
 */
import { type EachBatchPayload, type GroupConsumer, TributaryClient } from '@tributary/client';
import { type LostResponses, loseResponses } from '@tributary/client/testing';
import { TributaryError } from '@tributary/core';
import { readBack } from '../acked-history.js';
import type { Cluster } from '../cluster.js';
import { sleep, waitFor } from '../wait.js';
import { type History, isDefiniteFailure, type OffsetValue, type SendOutcome } from './history.js';

export const WORKLOAD_DEFAULTS = {
  producerWorkers: 3,
  recordsPerSend: 4,
  /** One Produce call's deadline, and the whole send's (retries included). */
  requestTimeoutMs: 3_000,
  deliveryTimeoutMs: 12_000,
  /** Pause after a failed send, so a worker does not spin while a partition has no leader. */
  failureBackoffMs: 100,
  consumers: 2,
  group: 'chaos-group',
  /** Short, so a member on a killed coordinator's side rejoins within the run. */
  sessionTimeoutMs: 6_000,
  consumerRestartsMax: 50,
  consumerRestartBackoffMs: 500,
  metadataIntervalMs: 200,
  metadataDeadlineMs: 1_000,
  /** Bounds of the post-heal waits before the final read. */
  settleTimeoutMs: 60_000,
  finalReadTimeoutMs: 60_000,
} as const;

export interface Workload {
  start(): void;
  stop(): Promise<void>;
}

function errorCode(error: unknown): string {
  if (error instanceof TributaryError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return code === undefined ? 'ERROR' : String(code);
}

function failure(error: unknown): SendOutcome {
  const code = errorCode(error);
  return { type: 'failed', definite: isDefiniteFailure(code), code };
}

/** Producer workers: worker w sends `w<w>-<n>` values, small batches round-robin over the partitions. */
export class ProducerWorkload implements Workload {
  private readonly client: TributaryClient;
  private stopped = false;
  private running: Promise<void>[] = [];

  private readonly lostResponses: LostResponses | undefined;

  /**
   * `broken`: the suite's own check — a producer WITHOUT idempotence whose Produce responses are lost now
   * and then after the leader appended; its retries write duplicates, which the checkers must report.
   */
  constructor(
    cluster: Cluster,
    private readonly history: History,
    private readonly options: { readonly workers?: number; readonly broken?: boolean } = {},
  ) {
    this.lostResponses = options.broken === true ? loseResponses('Produce') : undefined;
    this.client = new TributaryClient({
      bootstrap: cluster.bootstrap,
      allowAutoTopicCreation: false,
      ...(this.lostResponses === undefined ? {} : { interceptors: [this.lostResponses.interceptor] }),
    });
  }

  private get workers(): number {
    return this.options.workers ?? WORKLOAD_DEFAULTS.producerWorkers;
  }

  start(): void {
    for (let worker = 1; worker <= this.workers; worker++) this.running.push(this.worker(worker));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.running);
    this.running = [];
    this.client.close();
  }

  private async worker(worker: number): Promise<void> {
    const producer = this.client.producer({
      timeoutMs: WORKLOAD_DEFAULTS.requestTimeoutMs,
      deliveryTimeoutMs: WORKLOAD_DEFAULTS.deliveryTimeoutMs,
      ...(this.lostResponses === undefined ? {} : { idempotent: false }),
    });
    let next = 0;
    for (let send = 0; !this.stopped; send++) {
      if (this.lostResponses !== undefined && send % 10 === 5) this.lostResponses.lose(1);
      const partition = (worker + send) % this.history.partitions;
      const values = Array.from({ length: WORKLOAD_DEFAULTS.recordsPerSend }, () => `w${worker}-${next++}`);
      const sentAtMs = performance.now();
      let outcomes: SendOutcome[];
      try {
        const results = await producer.sendWithResults(
          this.history.topic,
          values.map((value) => ({ key: null, value, partition })),
        );
        outcomes = results.map((r) =>
          'error' in r ? failure(r.error) : { type: 'acked', offset: r.offset },
        );
      } catch (error) {
        outcomes = values.map(() => failure(error));
      }
      const endedAtMs = performance.now();
      for (const [index, value] of values.entries()) {
        const outcome = outcomes[index] ?? { type: 'failed', definite: false, code: 'NO_RESULT' };
        this.history.sends.push({ worker, value, partition, sentAtMs, endedAtMs, outcome });
      }
      if (outcomes.some((o) => o.type === 'failed')) await sleep(WORKLOAD_DEFAULTS.failureBackoffMs);
    }
  }
}

/** One group member, restarted as a new member when its run fails; its polls and commits go to the history. */
class GroupMember {
  private readonly client: TributaryClient;
  private consumer: GroupConsumer | undefined;
  private session = 0;
  private stopped = false;

  constructor(
    private readonly name: string,
    bootstrap: readonly string[],
    private readonly history: History,
  ) {
    this.client = new TributaryClient({ bootstrap, allowAutoTopicCreation: false });
  }

  async run(): Promise<void> {
    for (let restart = 0; restart < WORKLOAD_DEFAULTS.consumerRestartsMax && !this.stopped; restart++) {
      this.session++;
      const consumer = this.makeConsumer();
      this.consumer = consumer;
      try {
        consumer.subscribe({ topics: [this.history.topic] });
        await consumer.run({ eachBatch: (payload) => this.handle(consumer, payload) });
      } catch (error) {
        this.note(
          `run failed (${errorCode(error)}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await consumer.close().catch(() => undefined);
      if (!this.stopped) await sleep(WORKLOAD_DEFAULTS.consumerRestartBackoffMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.close().catch(() => undefined);
  }

  close(): void {
    this.client.close();
  }

  private makeConsumer(): GroupConsumer {
    // Any change of the assignment starts a new session: continuity is only promised within one.
    const newSession = (): void => {
      this.session++;
    };
    return this.client.consumer({
      groupId: WORKLOAD_DEFAULTS.group,
      sessionTimeoutMs: WORKLOAD_DEFAULTS.sessionTimeoutMs,
      fromBeginning: true,
      autoCommit: false,
      onAssigned: newSession,
      onRevoked: newSession,
      onLost: newSession,
    });
  }

  private async handle(consumer: GroupConsumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const records: OffsetValue[] = batch.messages.map((m) => ({
      offset: m.offset,
      value: Buffer.from(m.value ?? []).toString(),
    }));
    this.history.polls.push({
      consumer: this.name,
      session: this.session,
      partition: batch.partition,
      atMs: performance.now(),
      records,
      highWatermark: batch.highWatermark,
    });
    const last = records[records.length - 1];
    if (last === undefined || payload.isStale() || !payload.isRunning()) return;
    const offset = last.offset + 1;
    const sentAtMs = performance.now();
    const base = { consumer: this.name, group: WORKLOAD_DEFAULTS.group, partition: batch.partition, offset };
    try {
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
      this.history.commits.push({ ...base, sentAtMs, endedAtMs: performance.now(), acked: true });
    } catch (error) {
      const code = errorCode(error);
      this.history.commits.push({ ...base, sentAtMs, endedAtMs: performance.now(), acked: false, code });
    }
  }

  private note(message: string): void {
    this.history.notes.push({ atMs: performance.now(), source: this.name, message });
  }
}

/** A consumer group of `members` members reading the topic from the beginning and committing manually. */
export class ConsumerWorkload implements Workload {
  private readonly members: GroupMember[];
  private running: Promise<void>[] = [];

  constructor(cluster: Cluster, history: History, members: number = WORKLOAD_DEFAULTS.consumers) {
    this.members = Array.from(
      { length: members },
      (_, index) => new GroupMember(`consumer-${index + 1}`, cluster.bootstrap, history),
    );
  }

  start(): void {
    this.running = this.members.map((member) => member.run());
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.members.map((member) => member.stop()));
    await Promise.allSettled(this.running);
    for (const member of this.members) member.close();
  }
}

/** Asks every broker for Metadata every ~200 ms; each answer is that broker's view. */
export class MetadataObserver implements Workload {
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly history: History,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await Promise.allSettled(this.cluster.brokers.map((broker) => this.observe(broker.nodeId)));
      await sleep(WORKLOAD_DEFAULTS.metadataIntervalMs);
    }
  }

  private async observe(nodeId: number): Promise<void> {
    const answer = await this.cluster.broker(nodeId).metadata(WORKLOAD_DEFAULTS.metadataDeadlineMs);
    const topic = answer.topics.find((t) => t.topic?.name === this.history.topic)?.topic;
    this.history.metadata.push({
      observer: `broker ${nodeId}`,
      atMs: performance.now(),
      partitions: (topic?.partitions ?? []).map((p) => ({
        partition: p.partition,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        partitionEpoch: p.partitionEpoch,
      })),
      brokerEpochs: answer.brokers.map((b) => ({ brokerId: b.brokerId, brokerEpoch: Number(b.brokerEpoch) })),
    });
  }
}

/**
 * After healing: waits (bounded) until every broker is unfenced and every partition is led with its full
 * ISR, so the leaders' high watermarks cover everything acknowledged; then returns what is still missing.
 */
export async function waitForSettledCluster(cluster: Cluster, history: History): Promise<string | undefined> {
  try {
    await cluster.waitForUnfencedBrokers(undefined, WORKLOAD_DEFAULTS.settleTimeoutMs);
    await waitFor(
      `every partition of ${history.topic} led with a full ISR`,
      async () => {
        const { topics } = await cluster.quorum.admin().admin('DescribeTopics', { names: [history.topic] });
        const partitions = topics[0]?.partitions ?? [];
        const settled = partitions.filter((p) => p.leader >= 0 && p.isr.length === p.replicas.length);
        return partitions.length === history.partitions && settled.length === partitions.length
          ? true
          : undefined;
      },
      { timeoutMs: WORKLOAD_DEFAULTS.settleTimeoutMs, intervalMs: 250 },
    );
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Reads every partition up to its high watermark until two reads in a row agree (a new leader's high
 * watermark may still be catching up), bounded by finalReadTimeoutMs.
 */
export async function finalRead(cluster: Cluster, history: History): Promise<void> {
  let previous: Map<number, OffsetValue[]> | undefined;
  const read = await waitFor(
    'a stable final read of every partition',
    async () => {
      const current = await readBack(cluster.bootstrap, history.topic, history.partitions);
      const stable =
        previous !== undefined &&
        [...current].every(([partition, records]) => previous?.get(partition)?.length === records.length);
      previous = current;
      return stable ? current : undefined;
    },
    { timeoutMs: WORKLOAD_DEFAULTS.finalReadTimeoutMs, intervalMs: 500 },
  );
  history.finalRead = read;
}
