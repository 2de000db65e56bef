/**
 * The group coordinator's TxnOffsetCommitPort (packages/broker/src/txn/ports.ts): TransactionCoordinator.
 * TxnOffsetCommit on gRPC is answered by the GROUP's coordinator, so the transaction service hands it here.
 * Validated like OffsetCommit (the same field bounds), plus the producer's id and epoch; every partition
 * is answered, each with the request's outcome (Kafka answers TxnOffsetCommit per partition, but one
 * write covers them all, so they share it).
 */
import { TributaryError } from '@tributary/core';
import {
  requireIntInRange,
  requireNonEmpty,
  requireSafeUint,
  type TxnOffsetCommitRequest__Output,
  type TxnOffsetCommitResponse,
} from '@tributary/protocol';
import { TXN_LIMITS } from '../txn/limits.js';
import type { TxnMarkerListener, TxnOffsetCommitPort } from '../txn/ports.js';
import type { GroupCoordinator } from './coordinator.js';
import type { TxnOffsetCommitInput } from './txn-offsets.js';
import { validateOffsetCommit } from './validate.js';

const INT32_MAX = 0x7fff_ffff;

/** The coordinator's input, or a TributaryError naming the field (INVALID_GROUP_ID, INVALID_REQUEST). */
export function validateTxnOffsetCommit(request: TxnOffsetCommitRequest__Output): TxnOffsetCommitInput {
  requireNonEmpty(request.transactionalId, 'transactional_id');
  if (Buffer.byteLength(request.transactionalId, 'utf8') > TXN_LIMITS.transactionalIdBytesMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `transactional_id is longer than ${TXN_LIMITS.transactionalIdBytesMax} bytes`,
    );
  }
  requireSafeUint(request.producerId, 'producer_id');
  requireIntInRange(request.producerEpoch, 'producer_epoch', { min: 0, max: TXN_LIMITS.producerEpochMax });
  requireIntInRange(request.generationId, 'generation_id', { min: -1, max: INT32_MAX });
  const commits = validateOffsetCommit({
    groupId: request.groupId,
    memberId: request.memberId,
    memberEpoch: request.generationId,
    topics: request.topics,
  });
  return {
    groupId: request.groupId,
    transactionalId: request.transactionalId,
    producerId: request.producerId,
    producerEpoch: request.producerEpoch,
    generationId: request.generationId,
    memberId: request.memberId,
    groupInstanceId: null,
    commits,
  };
}

/** Every named partition with the same outcome (code '' on success). */
function answerAll(
  request: TxnOffsetCommitRequest__Output,
  error: TributaryError | null,
): TxnOffsetCommitResponse {
  return {
    results: request.topics.flatMap((topic) =>
      topic.partitions.map((p) => ({
        topic: topic.name,
        partition: p.partition,
        errorCode: error?.code ?? '',
        errorMessage: error?.message ?? '',
      })),
    ),
  };
}

/** The ports the broker fills with its group coordinator (the gRPC TxnOffsetCommit and the marker listener). */
export function groupTxnPorts(coordinator: GroupCoordinator): {
  txnOffsetCommit: TxnOffsetCommitPort;
  markerListener: TxnMarkerListener;
} {
  return {
    txnOffsetCommit: {
      async txnOffsetCommit(request) {
        try {
          await coordinator.txnCommitOffsets(validateTxnOffsetCommit(request));
          return answerAll(request, null);
        } catch (error) {
          if (error instanceof TributaryError) return answerAll(request, error);
          throw error;
        }
      },
    },
    markerListener: coordinator.transactions,
  };
}
