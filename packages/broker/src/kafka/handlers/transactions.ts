/**
 * The transactional producer's APIs (KIP-98, KIP-447) on the Kafka listener: AddPartitionsToTxn (24)
 * v0–3, AddOffsetsToTxn (25) v0–4, EndTxn (26) v0–4 to the transaction coordinator (TransactionCoordinatorPort,
 * the same one the gRPC service calls), and TxnOffsetCommit (28) v0–4 to the group coordinator (pending
 * offsets until the transaction's marker). Errors are mapped per version (txn-errors.ts).
 *
 * AddPartitionsToTxn v4+ (KIP-890's batched broker-to-broker form) is not advertised: @platformatic/kafka
 * picks the highest advertised version, and Kafka accepts v4+ only from brokers (ClusterAction). As Kafka,
 * a partition of a topic this broker does not know fails UNKNOWN_TOPIC_OR_PARTITION and the others are
 * answered OPERATION_NOT_ATTEMPTED (a transaction adds all of them or none).
 */
import { ERROR_CODES, type ErrorCode, TributaryError } from '@tributary/core';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  EndTxn,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
  TxnOffsetCommit,
} from '@tributary/kafka-protocol';
import type { TopicPartition } from '../../group/assignment.js';
import { validateTxnOffsetCommit } from '../../group/txn-port.js';
import type { TransactionCoordinatorPort } from '../../txn/ports.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import { txnKafkaCode } from './txn-errors.js';

type AddPartitionsResponse = ResponseInputOf<typeof AddPartitionsToTxn>;
type TxnOffsetCommitRequest = RequestOf<typeof TxnOffsetCommit>;
type TxnOffsetCommitResponse = ResponseInputOf<typeof TxnOffsetCommit>;

const NO_COORDINATOR = new TributaryError(
  'COORDINATOR_NOT_AVAILABLE',
  'this broker runs no transaction coordinator yet',
);

/** The TributaryError's code, or UNKNOWN for anything else (logged by the caller). */
function codeOf(error: unknown): ErrorCode {
  return error instanceof TributaryError ? error.code : 'UNKNOWN';
}

function coordinatorOf(parts: KafkaBrokerParts): TransactionCoordinatorPort {
  const coordinator = parts.transactions ?? null;
  if (coordinator === null) throw NO_COORDINATOR;
  return coordinator;
}

/** Runs a call whose only answer is an error code; null = success. */
async function outcomeOf(call: () => Promise<void>): Promise<ErrorCode | null> {
  try {
    await call();
    return null;
  } catch (error) {
    return codeOf(error);
  }
}

export function addPartitionsToTxnHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: AddPartitionsToTxn,
    advertised: parseVersions('0-3'),
    handle: async (request, context): Promise<AddPartitionsResponse> => {
      const version = context.header.apiVersion;
      const topics = request.v3AndBelowTopics;
      const answer = (
        codeOfPartition: (topic: string, partition: number) => number,
      ): AddPartitionsResponse => ({
        throttleTimeMs: 0,
        errorCode: 0,
        resultsByTransaction: [],
        resultsByTopicV3AndBelow: topics.map((topic) => ({
          name: topic.name,
          resultsByPartition: topic.partitions.map((partitionIndex) => ({
            partitionIndex,
            partitionErrorCode: codeOfPartition(topic.name, partitionIndex),
          })),
        })),
      });
      const image = parts.metadata.currentImage();
      const unknown = (topic: string, partition: number) =>
        image.topicByName(topic)?.partitions.has(partition) !== true;
      if (topics.some((topic) => topic.partitions.some((p) => unknown(topic.name, p)))) {
        const notAttempted = ERROR_CODES.OPERATION_NOT_ATTEMPTED.kafka;
        const missing = ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION.kafka;
        return answer((topic, partition) => (unknown(topic, partition) ? missing : notAttempted));
      }
      const partitions: TopicPartition[] = topics.flatMap((topic) =>
        topic.partitions.map((partition) => ({ topic: topic.name, partition })),
      );
      const code = await outcomeOf(() =>
        coordinatorOf(parts).addPartitionsToTxn({
          transactionalId: request.v3AndBelowTransactionalId,
          producerId: request.v3AndBelowProducerId,
          producerEpoch: request.v3AndBelowProducerEpoch,
          partitions,
        }),
      );
      const kafkaCode = txnKafkaCode('AddPartitionsToTxn', version, code);
      return answer(() => kafkaCode);
    },
  });
}

export function addOffsetsToTxnHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: AddOffsetsToTxn,
    advertised: parseVersions('0-4'),
    handle: async (request, context) => {
      const code = await outcomeOf(() =>
        coordinatorOf(parts).addOffsetsToTxn({
          transactionalId: request.transactionalId,
          producerId: request.producerId,
          producerEpoch: request.producerEpoch,
          groupId: request.groupId,
        }),
      );
      return {
        throttleTimeMs: 0,
        errorCode: txnKafkaCode('AddOffsetsToTxn', context.header.apiVersion, code),
      };
    },
  });
}

export function endTxnHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: EndTxn,
    advertised: parseVersions('0-4'),
    handle: async (request, context) => {
      const code = await outcomeOf(() =>
        coordinatorOf(parts).endTxn({
          transactionalId: request.transactionalId,
          producerId: request.producerId,
          producerEpoch: request.producerEpoch,
          result: request.committed ? 'commit' : 'abort',
        }),
      );
      return { throttleTimeMs: 0, errorCode: txnKafkaCode('EndTxn', context.header.apiVersion, code) };
    },
  });
}

export function txnOffsetCommitHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: TxnOffsetCommit,
    advertised: parseVersions('0-4'),
    handle: async (request, context) => {
      const code = await outcomeOf(() => txnOffsetCommit(parts, request));
      return answerEveryPartition(request, txnKafkaCode('TxnOffsetCommit', context.header.apiVersion, code));
    },
  });
}

/** One write covers every partition of the request, so they share its outcome. */
async function txnOffsetCommit(parts: KafkaBrokerParts, request: TxnOffsetCommitRequest): Promise<void> {
  const coordinator = parts.groupCoordinator;
  if (coordinator === null) {
    throw new TributaryError('COORDINATOR_NOT_AVAILABLE', 'this broker runs no group coordinator');
  }
  const input = validateTxnOffsetCommit({
    transactionalId: request.transactionalId,
    groupId: request.groupId,
    producerId: request.producerId,
    producerEpoch: request.producerEpoch,
    generationId: request.generationId,
    memberId: request.memberId,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata: p.committedMetadata ?? '',
      })),
    })),
  });
  await coordinator.txnCommitOffsets({ ...input, groupInstanceId: request.groupInstanceId });
}

function answerEveryPartition(request: TxnOffsetCommitRequest, errorCode: number): TxnOffsetCommitResponse {
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  };
}
