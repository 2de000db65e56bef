/**
 * For the transaction coordinator's in-process cluster tests: a raw transactional producer over the
 * gRPC services (FindTransactionCoordinator, InitTransactions, AddPartitionsToTxn, EndTxn and Produce
 * with transactional batches built by @tributary/records), and a read_committed / read_uncommitted
 * reader that applies Kafka's aborted-transaction rule to what Fetch returns.
 */
import { waitFor } from '@tributary/core/testing';
import {
  type BrokerClient,
  createBrokerClient,
  createTransactionCoordinatorClient,
  type TransactionCoordinatorClient,
  unary,
} from '@tributary/protocol';
import {
  decodeControlBatchMarker,
  decodeRecordBatch,
  encodeRecordBatch,
  splitBatches,
} from '@tributary/records';
import type { BrokerHandle } from '../../node/broker-node.js';
import type { InProcessCluster } from '../../testing/in-process-cluster.js';

export const CALL = { deadlineMs: 5_000 };
export const WAIT_MS = 30_000;

/** Codes a coordinator answers while it is moving, loading or busy: the call is repeated. */
const TRANSIENT = new Set([
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'CONCURRENT_TRANSACTIONS',
  'BROKER_NOT_READY',
]);

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export function addressOf(broker: BrokerHandle): string {
  return `127.0.0.1:${broker.port}`;
}

function running(cluster: InProcessCluster, nodeId: number): BrokerHandle {
  const broker = [...cluster.brokers].reverse().find((b) => b.nodeId === nodeId);
  if (broker === undefined) throw new Error(`broker ${nodeId} is not running`);
  return broker;
}

/** The broker leading a partition, from any running broker's image. */
export function leaderOf(via: BrokerHandle, tp: TopicPartition): number {
  return via.follower.currentImage().topicByName(tp.topic)?.partitions.get(tp.partition)?.leader ?? -1;
}

export class RawTxnProducer {
  producerId = -1;
  producerEpoch = -1;
  #sequences = new Map<string, number>();
  #coordinator: TransactionCoordinatorClient | null = null;

  constructor(
    private readonly cluster: InProcessCluster,
    readonly transactionalId: string,
    private readonly bootstrap: BrokerHandle,
    private readonly transactionTimeoutMs = 60_000,
  ) {}

  /** A client to the current coordinator, found again when asked to. */
  async coordinator(refresh = false): Promise<TransactionCoordinatorClient> {
    if (this.#coordinator !== null && !refresh) return this.#coordinator;
    const bootstrap = this.cluster.track(createTransactionCoordinatorClient(addressOf(this.bootstrap)));
    let address = '';
    await waitFor(
      `a coordinator for ${this.transactionalId}`,
      async () => {
        const found = await unary(
          bootstrap,
          'FindTransactionCoordinator',
          { transactionalId: this.transactionalId },
          CALL,
        );
        address = found.address;
        return found.errorCode === '';
      },
      WAIT_MS,
    );
    this.#coordinator = this.cluster.track(createTransactionCoordinatorClient(address));
    return this.#coordinator;
  }

  /** Repeats `call` while the coordinator answers a transient code; returns the final code. */
  async #retrying(call: (client: TransactionCoordinatorClient) => Promise<string>): Promise<string> {
    let code = '';
    await waitFor(
      `${this.transactionalId}: a final answer`,
      async () => {
        try {
          code = await call(await this.coordinator());
        } catch {
          code = 'UNAVAILABLE';
        }
        if (code === 'NOT_COORDINATOR' || code === 'UNAVAILABLE')
          await this.coordinator(true).catch(() => null);
        return !TRANSIENT.has(code) && code !== 'UNAVAILABLE';
      },
      WAIT_MS,
    );
    return code;
  }

  async init(): Promise<string> {
    return this.#retrying(async (client) => {
      const response = await unary(
        client,
        'InitTransactions',
        {
          transactionalId: this.transactionalId,
          transactionTimeoutMs: this.transactionTimeoutMs,
          producerId: -1,
          producerEpoch: -1,
        },
        CALL,
      );
      if (response.errorCode === '') {
        this.producerId = response.producerId;
        this.producerEpoch = response.producerEpoch;
        this.#sequences.clear();
      }
      return response.errorCode;
    });
  }

  async addPartitions(partitions: readonly TopicPartition[]): Promise<string> {
    return this.#retrying(async (client) => {
      const response = await unary(
        client,
        'AddPartitionsToTxn',
        {
          ...this.#producer(),
          partitions: partitions.map((tp) => ({ topic: tp.topic, partitions: [tp.partition] })),
        },
        CALL,
      );
      return response.results.find((r) => r.errorCode !== '')?.errorCode ?? '';
    });
  }

  async endTxn(commit: boolean, deadlineMs = CALL.deadlineMs): Promise<string> {
    return this.#retrying(async (client) => {
      const response = await unary(client, 'EndTxn', { ...this.#producer(), commit }, { deadlineMs });
      return response.errorCode;
    });
  }

  /** One EndTxn call, not repeated: its error code, or the failure's (a deadline while markers wait). */
  async endTxnOnce(commit: boolean, deadlineMs: number): Promise<string> {
    try {
      const client = await this.coordinator();
      return (await unary(client, 'EndTxn', { ...this.#producer(), commit }, { deadlineMs })).errorCode;
    } catch (error) {
      return error instanceof Error ? error.name : 'failed';
    }
  }

  /** One transactional batch of `values` to the partition's leader; returns the error code. */
  async produce(tp: TopicPartition, values: readonly string[]): Promise<string> {
    const key = `${tp.topic}-${tp.partition}`;
    const baseSequence = this.#sequences.get(key) ?? 0;
    const records = encodeRecordBatch({
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence,
      isTransactional: true,
      records: values.map((value) => ({
        key: Buffer.from(value),
        value: Buffer.from(value),
        timestampMs: Date.now(),
      })),
    });
    const leader = leaderOf(this.bootstrap, tp);
    const client = this.cluster.track(createBrokerClient(addressOf(running(this.cluster, leader))));
    const response = await unary(
      client,
      'Produce',
      {
        acks: -1,
        timeoutMs: 5_000,
        transactionalId: this.transactionalId,
        topics: [{ name: tp.topic, partitions: [{ partition: tp.partition, records }] }],
      },
      CALL,
    );
    const code = response.results[0]?.errorCode ?? 'no result';
    if (code === '') this.#sequences.set(key, baseSequence + values.length);
    return code;
  }

  #producer(): { transactionalId: string; producerId: number; producerEpoch: number } {
    return {
      transactionalId: this.transactionalId,
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
    };
  }
}

export interface PartitionRead {
  readonly values: string[];
  readonly highWatermark: number;
  readonly lastStableOffset: number;
}

/**
 * Reads a partition from offset 0 up to what Fetch returns. read_committed drops the records of aborted
 * transactions (Kafka's rule: a producer's batches from an aborted transaction's first offset up to its
 * ABORT marker), read_uncommitted keeps every data record. Control records are never values.
 */
export async function readPartition(
  client: BrokerClient,
  tp: TopicPartition,
  readCommitted: boolean,
): Promise<PartitionRead> {
  const values: string[] = [];
  let offset = 0;
  let highWatermark = 0;
  let lastStableOffset = 0;
  for (let round = 0; round < 100; round++) {
    const request = {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1024 * 1024,
      isolationLevel: readCommitted ? 1 : 0,
      topics: [
        {
          name: tp.topic,
          partitions: [
            {
              partition: tp.partition,
              fetchOffset: offset,
              partitionMaxBytes: 1024 * 1024,
              currentLeaderEpoch: -1,
            },
          ],
        },
      ],
    };
    const result = (await unary(client, 'Fetch', request, CALL)).results[0];
    if (result === undefined || result.errorCode !== '')
      throw new Error(`fetch failed: ${result?.errorCode}`);
    highWatermark = Number(result.highWatermark);
    lastStableOffset = Number(result.lastStableOffset);
    if (result.records.length === 0) break;
    const aborted = [...result.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset);
    const abortedProducers = new Set<number>();
    for (const header of splitBatches(result.records).batches) {
      const batch = decodeRecordBatch(header.bytes());
      while (
        aborted.length > 0 &&
        (aborted[0]?.firstOffset ?? Number.POSITIVE_INFINITY) <= batch.baseOffset
      ) {
        const next = aborted.shift();
        if (next !== undefined) abortedProducers.add(next.producerId);
      }
      const last = batch.records[batch.records.length - 1];
      offset = Math.max(offset, (last?.offset ?? batch.baseOffset) + 1);
      if (batch.isControl) {
        if (decodeControlBatchMarker(header.bytes()).marker === 'abort')
          abortedProducers.delete(batch.producerId);
        continue;
      }
      if (readCommitted && batch.isTransactional && abortedProducers.has(batch.producerId)) continue;
      for (const record of batch.records) values.push(Buffer.from(record.value ?? []).toString());
    }
  }
  return { values, highWatermark, lastStableOffset };
}
