/**
 * The transactional chaos workload (issue 14): transactional producers writing transactions of random size
 * over the partitions of two topics and committing or aborting at random, and a read_committed and a
 * read_uncommitted consumer polling every partition, all recording into a TxnHistory. The read-process-write
 * pipeline is txn-pipeline.ts. Every loop stops on stop(); every call has the client's deadlines; a producer
 * whose state is unknown (a failed abort, an unanswered commit, a fenced epoch) is replaced by a new one with
 * the same transactional id, whose InitTransactions completes what the old one left open.
 */
import { type Consumer, type Producer, type Transaction, TributaryClient } from '@tributary/client';
import { type Random, SeededRandom, TributaryError } from '@tributary/core';
import type { Cluster } from '../cluster.js';
import { sleep } from '../wait.js';
import type { OffsetValue } from './history.js';
import type { Isolation, TxnHistory, TxnIntent, TxnOutcome, TxnWrite } from './txn-history.js';

export const TXN_WORKLOAD_LIMITS = {
  /** The producers' topics (the pipeline reads the first) and the pipeline's output topic. */
  topics: ['txn-a', 'txn-b'],
  partitions: 4,
  outputTopic: 'txn-out',
  outputPartitions: 2,
  producers: 3,
  /** Records per transaction: 1..this, each to a random partition of either topic. */
  transactionRecordsMax: 8,
  abortProbability: 0.3,
  /** Short, so a transaction a killed client left open is aborted by the coordinator within the run. */
  transactionTimeoutMs: 10_000,
  requestTimeoutMs: 3_000,
  deliveryTimeoutMs: 12_000,
  failureBackoffMs: 200,
  /** Producer and consumer restarts per worker, so a broken cluster cannot spin a worker for ever. */
  restartsMax: 200,
  pollMaxWaitMs: 300,
  pollMaxBytes: 256 * 1024,
} as const;

export interface Workload {
  start(): void;
  stop(): Promise<void>;
}

export function errorCode(error: unknown): string {
  if (error instanceof TributaryError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return code === undefined ? 'ERROR' : String(code);
}

export function decodeValue(value: Uint8Array | null): string {
  return Buffer.from(value ?? []).toString();
}

/** One planned record of a transaction (a pipeline output names its input). */
export interface PlannedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly value: string;
  readonly input?: TxnWrite['input'];
}

/** The records of one transaction grouped per topic-partition, in first-seen order (one send each). */
function groupByPartition(records: readonly PlannedRecord[]): PlannedRecord[][] {
  const groups = new Map<string, PlannedRecord[]>();
  for (const record of records) {
    const key = `${record.topic}-${record.partition}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()];
}

/**
 * Sends `records` in `txn`, one send per topic-partition in order, returning the writes (offsets where
 * acknowledged) and the first failure. Stops at the first failed send: the transaction is abortable then.
 */
export async function sendAll(
  txn: Transaction,
  records: readonly PlannedRecord[],
  sendIndexFrom: number,
): Promise<{ writes: TxnWrite[]; failure: unknown }> {
  const writes: TxnWrite[] = [];
  let failure: unknown;
  let sendIndex = sendIndexFrom;
  for (const group of groupByPartition(records)) {
    const first = group[0];
    if (first === undefined) continue;
    let offsets: (number | undefined)[] = group.map(() => undefined);
    if (failure === undefined) {
      try {
        const answers = await txn.send(
          first.topic,
          group.map((r) => ({ key: null, value: r.value, partition: r.partition })),
        );
        offsets = group.map((_, index) => answers[index]?.offset);
      } catch (error) {
        failure = error;
      }
    }
    for (const [index, record] of group.entries()) {
      writes.push({
        topic: record.topic,
        partition: record.partition,
        value: record.value,
        sendIndex: sendIndex++,
        offset: offsets[index],
        ...(record.input === undefined ? {} : { input: record.input }),
      });
    }
  }
  return { writes, failure };
}

/**
 * Ends a transaction as intended and says what was observed. `commitRequested` is set before EndTxn(commit)
 * could have been sent: only from then on can the outcome be anything but aborted.
 */
export async function endTransaction(
  txn: Transaction,
  intent: TxnIntent,
  sendFailure: unknown,
): Promise<{ outcome: TxnOutcome; endRequestedAtMs: number | undefined; code?: string; replace: boolean }> {
  const endRequestedAtMs = performance.now();
  if (intent === 'commit' && sendFailure === undefined) {
    try {
      await txn.commit();
      return { outcome: 'committed', endRequestedAtMs, replace: false };
    } catch (error) {
      return { outcome: 'indeterminate', endRequestedAtMs, code: errorCode(error), replace: true };
    }
  }
  const code = sendFailure === undefined ? undefined : errorCode(sendFailure);
  try {
    await txn.abort();
    return { outcome: 'aborted', endRequestedAtMs, ...(code === undefined ? {} : { code }), replace: false };
  } catch (error) {
    // Never committed: the next InitTransactions (or the coordinator's timeout) aborts it.
    const abortCode = `abort failed: ${errorCode(error)}`;
    return {
      outcome: 'aborted',
      endRequestedAtMs,
      code: code === undefined ? abortCode : `${code}, ${abortCode}`,
      replace: true,
    };
  }
}

/** Transactional producer workers: worker w uses transactional id `txn-producer-<w>`. */
export class TxnProducerWorkload implements Workload {
  private stopped = false;
  private running: Promise<void>[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly history: TxnHistory,
    private readonly seed: number,
  ) {}

  start(): void {
    for (let worker = 1; worker <= TXN_WORKLOAD_LIMITS.producers; worker++) {
      this.running.push(this.worker(worker, new SeededRandom(this.seed * 31 + worker)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.running);
    this.running = [];
  }

  private async worker(worker: number, random: Random): Promise<void> {
    const transactionalId = `txn-producer-${worker}`;
    for (let instance = 1; instance <= TXN_WORKLOAD_LIMITS.restartsMax && !this.stopped; instance++) {
      const client = new TributaryClient({
        bootstrap: this.cluster.bootstrap,
        allowAutoTopicCreation: false,
      });
      try {
        const producer = client.producer({
          transactionalId,
          transactionTimeoutMs: TXN_WORKLOAD_LIMITS.transactionTimeoutMs,
          timeoutMs: TXN_WORKLOAD_LIMITS.requestTimeoutMs,
          deliveryTimeoutMs: TXN_WORKLOAD_LIMITS.deliveryTimeoutMs,
        });
        await this.runInstance(producer, { transactionalId, instance, random });
      } catch (error) {
        this.note(transactionalId, `instance ${instance} replaced (${errorCode(error)}): ${String(error)}`);
      } finally {
        client.close();
      }
      if (!this.stopped) await sleep(TXN_WORKLOAD_LIMITS.failureBackoffMs);
    }
  }

  /** Runs transactions until stopped or until the producer's state is unknown (then throws). */
  private async runInstance(
    producer: Producer,
    who: { transactionalId: string; instance: number; random: Random },
  ): Promise<void> {
    let sendIndex = 0;
    for (let n = 1; !this.stopped; n++) {
      const id = `${who.transactionalId}#${who.instance}.${n}`;
      const planned = this.plan(id, who.random);
      const intent: TxnIntent = who.random.next() < TXN_WORKLOAD_LIMITS.abortProbability ? 'abort' : 'commit';
      const beganAtMs = performance.now();
      const txn = await producer.transaction();
      const { writes, failure } = await sendAll(txn, planned, sendIndex);
      sendIndex += writes.length;
      const end = await endTransaction(txn, intent, failure);
      this.history.transactions.push({
        id,
        transactionalId: who.transactionalId,
        instance: who.instance,
        intent,
        outcome: end.outcome,
        writes,
        beganAtMs,
        endRequestedAtMs: failure === undefined || intent === 'abort' ? end.endRequestedAtMs : undefined,
        endedAtMs: performance.now(),
        ...(end.code === undefined ? {} : { code: end.code }),
      });
      if (end.replace) throw new TributaryError('UNKNOWN', `${id} ended ${end.outcome} (${end.code})`);
      if (failure !== undefined) await sleep(TXN_WORKLOAD_LIMITS.failureBackoffMs);
    }
  }

  private plan(id: string, random: Random): PlannedRecord[] {
    const count = random.int(1, TXN_WORKLOAD_LIMITS.transactionRecordsMax + 1);
    return Array.from({ length: count }, (_, index) => ({
      topic: TXN_WORKLOAD_LIMITS.topics[random.int(0, TXN_WORKLOAD_LIMITS.topics.length)] ?? 'txn-a',
      partition: random.int(0, TXN_WORKLOAD_LIMITS.partitions),
      value: `${id}-${index}`,
    }));
  }

  private note(source: string, message: string): void {
    this.history.notes.push({ atMs: performance.now(), source, message });
  }
}

/**
 * A consumer polling every partition of `topics` from offset 0 at one isolation level, recording each poll
 * with the positions before and after it. A failed fetch keeps the position (no seek: same session).
 */
export class PollingConsumer implements Workload {
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly positions = new Map<string, number>();

  constructor(
    private readonly cluster: Cluster,
    private readonly history: TxnHistory,
    private readonly name: string,
    private readonly isolation: Isolation,
    private readonly topics: ReadonlyMap<string, number>,
    /** The suite's self-check: fetch read_uncommitted while recording read_committed (aborted reads follow). */
    private readonly broken = false,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    for (let restart = 0; restart < TXN_WORKLOAD_LIMITS.restartsMax && !this.stopped; restart++) {
      const client = new TributaryClient({
        bootstrap: this.cluster.bootstrap,
        allowAutoTopicCreation: false,
      });
      // One Consumer per client: it keeps read_committed's aborted-producer state across fetches.
      const consumer = client.consumer();
      try {
        while (!this.stopped) {
          for (const [topic, partitions] of this.topics) await this.pollTopic(consumer, topic, partitions);
        }
      } catch (error) {
        this.history.notes.push({
          atMs: performance.now(),
          source: this.name,
          message: `restarted (${errorCode(error)}): ${String(error)}`,
        });
        await sleep(TXN_WORKLOAD_LIMITS.failureBackoffMs);
      } finally {
        client.close();
      }
    }
  }

  private async pollTopic(consumer: Consumer, topic: string, partitions: number): Promise<void> {
    const from = new Map<number, number>();
    for (let partition = 0; partition < partitions; partition++) {
      from.set(partition, this.positions.get(`${topic}-${partition}`) ?? 0);
    }
    const results = await consumer.fetchMany(topic, from, {
      readCommitted: this.isolation === 'read_committed' && !this.broken,
      maxWaitMs: TXN_WORKLOAD_LIMITS.pollMaxWaitMs,
      maxBytes: TXN_WORKLOAD_LIMITS.pollMaxBytes,
    });
    for (const result of results) {
      const fromOffset = from.get(result.partition);
      if (result.error !== undefined || fromOffset === undefined) continue;
      const records: OffsetValue[] = result.records.map((r) => ({
        offset: r.offset,
        value: decodeValue(r.value),
      }));
      this.history.polls.push({
        consumer: this.name,
        isolation: this.isolation,
        session: 1,
        topic,
        partition: result.partition,
        atMs: performance.now(),
        records,
        fromOffset,
        nextOffset: result.nextOffset,
      });
      this.positions.set(`${topic}-${result.partition}`, Math.max(fromOffset, result.nextOffset));
    }
    if (results.some((r) => r.error !== undefined)) await sleep(TXN_WORKLOAD_LIMITS.failureBackoffMs);
  }
}
