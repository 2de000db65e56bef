/**
 * The read-process-write pipeline of the transactional chaos workload (KIP-98 with KIP-447's group fencing):
 * group members consume the input topic with read_committed and, per batch, write one output per input to
 * the output topic and the batch's next offset to the group in one transaction. Any failure ends the member
 * (its client, consumer and producer): the restarted member reads from the group's committed offsets and its
 * new producer's InitTransactions aborts whatever the old one left open, so every input is written once.
 * Polls, transactions and the final committed offsets go to the TxnHistory.
 */
import {
  type EachBatchPayload,
  type GroupConsumer,
  type GroupDescription,
  type Producer,
  TributaryClient,
} from '@tributary/client';
import { TributaryError } from '@tributary/core';
import type { Cluster } from '../cluster.js';
import { sleep, waitFor } from '../wait.js';
import type { OffsetValue } from './history.js';
import type { PipelineSpec, TxnHistory } from './txn-history.js';
import {
  decodeValue,
  endTransaction,
  errorCode,
  type PlannedRecord,
  sendAll,
  TXN_WORKLOAD_LIMITS,
  type Workload,
} from './txn-workloads.js';

export const PIPELINE_LIMITS = {
  members: 2,
  group: 'txn-pipeline',
  /** Short, so a killed member's partitions move within the run. */
  sessionTimeoutMs: 6_000,
  /** After the producers stop: how long the pipeline may take to process what is left. */
  drainTimeoutMs: 90_000,
  drainCheckIntervalMs: 1_000,
} as const;

export const PIPELINE_SPEC: PipelineSpec = {
  group: PIPELINE_LIMITS.group,
  inputTopic: TXN_WORKLOAD_LIMITS.topics[0],
  outputTopic: TXN_WORKLOAD_LIMITS.outputTopic,
};

/** One member, restarted (new client, consumer and producer) whenever a batch or the consumer fails. */
class PipelineMember {
  private consumer: GroupConsumer | undefined;
  private session = 0;
  private stopped = false;

  constructor(
    private readonly transactionalId: string,
    private readonly cluster: Cluster,
    private readonly history: TxnHistory,
  ) {}

  async run(): Promise<void> {
    for (let instance = 1; instance <= TXN_WORKLOAD_LIMITS.restartsMax && !this.stopped; instance++) {
      const client = new TributaryClient({
        bootstrap: this.cluster.bootstrap,
        allowAutoTopicCreation: false,
      });
      const producer = client.producer({
        transactionalId: this.transactionalId,
        transactionTimeoutMs: TXN_WORKLOAD_LIMITS.transactionTimeoutMs,
        timeoutMs: TXN_WORKLOAD_LIMITS.requestTimeoutMs,
        deliveryTimeoutMs: TXN_WORKLOAD_LIMITS.deliveryTimeoutMs,
      });
      const consumer = this.makeConsumer(client);
      this.consumer = consumer;
      let n = 0;
      try {
        // Fences the previous instance (and aborts its open transaction) before anything is read.
        await producer.initTransactions();
        consumer.subscribe({ topics: [PIPELINE_SPEC.inputTopic] });
        await consumer.run({
          eachBatch: (payload) => this.process(producer, payload, `#${instance}.${++n}`),
        });
      } catch (error) {
        this.note(`instance ${instance} ended (${errorCode(error)}): ${String(error)}`);
      }
      await consumer.close().catch(() => undefined);
      client.close();
      if (!this.stopped) await sleep(TXN_WORKLOAD_LIMITS.failureBackoffMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.close().catch(() => undefined);
  }

  private makeConsumer(client: TributaryClient): GroupConsumer {
    const newSession = (): void => {
      this.session++;
    };
    this.session++;
    return client.consumer({
      groupId: PIPELINE_SPEC.group,
      sessionTimeoutMs: PIPELINE_LIMITS.sessionTimeoutMs,
      fromBeginning: true,
      autoCommit: false,
      readCommitted: true,
      onAssigned: newSession,
      onRevoked: newSession,
      onLost: newSession,
    });
  }

  /** One batch in one transaction; throws (ending this instance) unless the transaction committed. */
  private async process(producer: Producer, payload: EachBatchPayload, suffix: string): Promise<void> {
    const { batch } = payload;
    const inputs: OffsetValue[] = batch.messages.map((m) => ({
      offset: m.offset,
      value: decodeValue(m.value),
    }));
    this.history.polls.push({
      consumer: this.transactionalId,
      isolation: 'read_committed',
      session: this.session,
      topic: batch.topic,
      partition: batch.partition,
      atMs: performance.now(),
      records: inputs,
    });
    const last = inputs[inputs.length - 1];
    if (last === undefined || payload.isStale() || !payload.isRunning()) return;
    const id = `${this.transactionalId}${suffix}`;
    const outputs: PlannedRecord[] = inputs.map((input, index) => ({
      topic: PIPELINE_SPEC.outputTopic,
      partition: batch.partition % TXN_WORKLOAD_LIMITS.outputPartitions,
      value: `${id}-${index}`,
      input: { partition: batch.partition, offset: input.offset, value: input.value },
    }));
    const nextOffset = last.offset + 1;
    const beganAtMs = performance.now();
    const txn = await producer.transaction();
    const { writes, failure: sendFailure } = await sendAll(txn, outputs, 0);
    let failure = sendFailure;
    if (failure === undefined) {
      try {
        await txn.sendOffsets({
          consumerGroupId: PIPELINE_SPEC.group,
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }],
          // Read now, not when the batch came: it refuses if the partition was lost or moved meanwhile.
          consumer: payload.groupMetadata(),
        });
      } catch (error) {
        failure = error;
      }
    }
    const end = await endTransaction(txn, 'commit', failure);
    this.history.transactions.push({
      id,
      transactionalId: this.transactionalId,
      instance: Number(suffix.slice(1).split('.')[0]),
      intent: 'commit',
      outcome: end.outcome,
      writes,
      beganAtMs,
      endRequestedAtMs: failure === undefined ? end.endRequestedAtMs : undefined,
      endedAtMs: performance.now(),
      offsets: new Map([[batch.partition, nextOffset]]),
      ...(end.code === undefined ? {} : { code: end.code }),
    });
    if (end.outcome !== 'committed') {
      // The consumer's position is past inputs whose outputs did not commit: start over from the group's offsets.
      throw new TributaryError('UNKNOWN', `${id} ended ${end.outcome} (${end.code ?? 'no code'})`);
    }
  }

  private note(message: string): void {
    this.history.notes.push({ atMs: performance.now(), source: this.transactionalId, message });
  }
}

export class PipelineWorkload implements Workload {
  private readonly members: PipelineMember[];
  private running: Promise<void>[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly history: TxnHistory,
  ) {
    this.members = Array.from(
      { length: PIPELINE_LIMITS.members },
      (_, index) => new PipelineMember(`txn-pipeline-${index + 1}`, cluster, history),
    );
  }

  start(): void {
    this.running = this.members.map((member) => member.run());
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.members.map((member) => member.stop()));
    await Promise.allSettled(this.running);
  }

  /**
   * Waits (bounded) until no committed input is left at or past the group's committed offsets, i.e. every
   * committed input was processed; returns what is still missing, if anything.
   */
  async drain(): Promise<string | undefined> {
    const client = new TributaryClient({ bootstrap: this.cluster.bootstrap, allowAutoTopicCreation: false });
    try {
      await waitFor(
        'the pipeline to process every committed input',
        async () => ((await this.lag(client)) === 0 ? true : undefined),
        { timeoutMs: PIPELINE_LIMITS.drainTimeoutMs, intervalMs: PIPELINE_LIMITS.drainCheckIntervalMs },
      );
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      client.close();
    }
  }

  /**
   * Committed inputs at or past the group's offsets. Read with a read_committed fetch rather than from the
   * end offsets: the partitions end in commit markers, which the committed offset (last input + 1) never
   * passes. Run once the end offsets are stable (no open transaction holds the last stable offset back).
   */
  private async lag(client: TributaryClient): Promise<number> {
    const consumer = client.consumer();
    const committed = await committedOffsets(client);
    let lag = 0;
    for (let partition = 0; partition < TXN_WORKLOAD_LIMITS.partitions; partition++) {
      const from = Math.max(0, committed.get(partition) ?? 0);
      const fetched = await consumer.fetch(PIPELINE_SPEC.inputTopic, partition, from, {
        readCommitted: true,
        maxWaitMs: 0,
      });
      lag += fetched.records.length;
    }
    return lag;
  }

  /** The group's committed offsets on the input topic, after stop(), into the history. */
  async recordFinalOffsets(): Promise<void> {
    const client = new TributaryClient({ bootstrap: this.cluster.bootstrap, allowAutoTopicCreation: false });
    try {
      this.history.finalGroupOffsets = await committedOffsets(client);
    } finally {
      client.close();
    }
  }
}

async function committedOffsets(client: TributaryClient): Promise<Map<number, number>> {
  let description: GroupDescription;
  try {
    description = await client.admin().describeGroup(PIPELINE_SPEC.group);
  } catch (error) {
    // A group that never committed is unknown to the coordinator: nothing consumed yet.
    if (error instanceof TributaryError && error.code === 'GROUP_ID_NOT_FOUND') return new Map();
    throw error;
  }
  const offsets = new Map<number, number>();
  for (const p of description.partitions) {
    if (p.topic === PIPELINE_SPEC.inputTopic && p.committedOffset !== null) {
      offsets.set(p.partition, p.committedOffset);
    }
  }
  return offsets;
}
