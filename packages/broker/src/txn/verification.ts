/**
 * KIP-890 part 1 from the partition leader's side (Kafka's AddPartitionsToTxnManager in its verify-only
 * form): before a producer's first transactional write of a transaction to a partition is appended, the
 * leader asks the transactional id's coordinator — this broker's own shell when it leads the id's
 * __transaction_state partition, else that broker's TransactionMarkers.VerifyTxnPartitions — whether the
 * partition is in the producer's ongoing transaction. The answer is Kafka's mapping for Produce: the
 * coordinator being elsewhere, loading or busy becomes NOT_ENOUGH_REPLICAS (the producer retries the
 * batch, and asks again), a partition not in the transaction INVALID_TXN_STATE, fencing passes through.
 */
import { type ErrorCode, TributaryError, brokerId as toBrokerId } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import { unary } from '@tributary/protocol';
import type { Logger } from 'pino';
import type { TransactionalWrite } from '../replica/request-context.js';
import { TRANSACTION_STATE_TOPIC, TXN_SHELL_LIMITS } from './limits.js';
import type { TxnMarkersClients } from './markers.js';
import type { TransactionCoordinatorPort } from './ports.js';
import { txnStatePartitionFor } from './txn-coordinator-core.js';

/** Coordinator answers a producer can wait out: it retries the batch and the leader asks again. */
const RETRIABLE: ReadonlySet<string> = new Set([
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'CONCURRENT_TRANSACTIONS',
  'RESOURCE_EXHAUSTED',
]);

/** Answers that refuse the write as they are (the producer is fenced or its state is wrong). */
const AS_IS: ReadonlySet<string> = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_TXN_STATE',
]);

function retriable(message: string): TributaryError {
  return new TributaryError('NOT_ENOUGH_REPLICAS', `transaction verification: ${message}`);
}

/** Maps a coordinator's answer for one partition to the produce error (null: in the transaction). */
export function produceErrorOf(
  code: string,
  message: string,
  write: TransactionalWrite,
): TributaryError | null {
  if (code === '') return null;
  if (RETRIABLE.has(code)) return retriable(`${code} ${message}`);
  if (AS_IS.has(code)) return new TributaryError(code as ErrorCode, message);
  return new TributaryError(
    'INVALID_TXN_STATE',
    `${write.topic}-${write.partition} is not in the ongoing transaction of ${write.transactionalId}: ${code} ${message}`,
  );
}

export interface TxnPartitionVerifierOptions {
  readonly brokerId: number;
  readonly currentImage: () => MetadataImage;
  readonly local: TransactionCoordinatorPort;
  readonly clients: TxnMarkersClients;
  readonly logger: Logger;
}

export class TxnPartitionVerifier {
  readonly #options: TxnPartitionVerifierOptions;

  constructor(options: TxnPartitionVerifierOptions) {
    this.#options = options;
  }

  /** Never rejects: a failure to ask is a retriable refusal. */
  async verify(write: TransactionalWrite): Promise<TributaryError | null> {
    const image = this.#options.currentImage();
    const topic = image.topicByName(TRANSACTION_STATE_TOPIC);
    if (topic === undefined || topic.partitions.size === 0) {
      return retriable(`${TRANSACTION_STATE_TOPIC} does not exist; no transaction is ongoing`);
    }
    const statePartition = txnStatePartitionFor(write.transactionalId, topic.partitions.size);
    const leader = topic.partitions.get(statePartition)?.leader ?? -1;
    const request = {
      transactionalId: write.transactionalId,
      producerId: write.producerId,
      producerEpoch: write.producerEpoch,
      partitions: [{ topic: write.topic, partition: write.partition }],
    };
    try {
      if (leader === this.#options.brokerId) {
        const [error] = await this.#options.local.verifyPartitions(request);
        return error === undefined || error === null
          ? null
          : produceErrorOf(error.code, error.message, write);
      }
      const address = leader < 0 ? undefined : image.broker(toBrokerId(leader))?.address;
      if (address === undefined)
        return retriable(`${TRANSACTION_STATE_TOPIC}-${statePartition} has no leader`);
      const response = await unary(
        this.#options.clients.get(address),
        'VerifyTxnPartitions',
        { ...request, partitions: [{ topic: write.topic, partitions: [write.partition] }] },
        { deadlineMs: TXN_SHELL_LIMITS.verifyTimeoutMs },
      );
      const result = response.results[0];
      if (result === undefined) return retriable('the coordinator answered no partition');
      return produceErrorOf(result.errorCode, result.errorMessage, write);
    } catch (error) {
      this.#options.logger.debug({ err: error, leader }, 'transaction verification failed');
      return retriable(error instanceof Error ? error.message : String(error));
    }
  }
}
