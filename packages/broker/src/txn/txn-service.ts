/**
 * The TransactionCoordinator and TransactionMarkers gRPC services (protos/tributary/v1/transactions.proto)
 * over the coordinator shell, the marker writer and the group coordinator's TxnOffsetCommit port. A
 * TributaryError becomes the response's error_code and error_message (per partition where the message
 * has no top-level code), anything else is logged and answered INTERNAL by handleUnary.
 */
import { TributaryError } from '@tributary/core';
import {
  type AddOffsetsToTxnRequest__Output,
  type AddPartitionsToTxnRequest__Output,
  type DescribeTransactionsRequest__Output,
  type EndTxnRequest__Output,
  type FindTransactionCoordinatorRequest__Output,
  handleUnary,
  type InitTransactionsRequest__Output,
  type ListTransactionsRequest__Output,
  type TransactionCoordinatorHandlers,
  type TransactionDescription,
  type TransactionMarkersHandlers,
  type TxnOffsetCommitRequest__Output,
  type TxnPartitionResult,
  type VerifyTxnPartitionsRequest__Output,
  type WriteTxnMarkersRequest__Output,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { type TopicPartition, toTopicPartitions } from '../group/assignment.js';
import { topicPartitionsOf } from '../group/validate.js';
import { TXN_LIMITS } from './limits.js';
import type { TransactionCoordinatorPort, TxnMarkerWriterPort, TxnPorts } from './ports.js';
import type { TxnDescribeResult } from './txn-types.js';

/** Runs fn; a TributaryError becomes {errorCode, errorMessage} (other errors propagate as INTERNAL). */
async function answer<R extends object>(
  fn: () => Promise<R> | R,
): Promise<R | { errorCode: string; errorMessage: string }> {
  try {
    return { errorCode: '', errorMessage: '', ...(await fn()) };
  } catch (error) {
    if (error instanceof TributaryError) return { errorCode: error.code, errorMessage: error.message };
    throw error;
  }
}

function results(
  partitions: readonly TopicPartition[],
  errors: readonly (TributaryError | null)[],
): TxnPartitionResult[] {
  return partitions.map((tp, i) => {
    const error = errors[i] ?? null;
    return { ...tp, errorCode: error?.code ?? '', errorMessage: error?.message ?? '' };
  });
}

/** The per-partition form: every partition answers the request's one outcome. */
async function perPartition(
  partitions: readonly TopicPartition[],
  fn: () => Promise<void>,
): Promise<{ results: TxnPartitionResult[] }> {
  try {
    await fn();
    return { results: results(partitions, []) };
  } catch (error) {
    if (!(error instanceof TributaryError)) throw error;
    return {
      results: results(
        partitions,
        partitions.map(() => error),
      ),
    };
  }
}

function description(result: TxnDescribeResult): TransactionDescription {
  if (result.kind === 'error') {
    return {
      transactionalId: result.transactionalId,
      errorCode: result.error.code,
      errorMessage: result.error.message,
      transactionStartTimeMs: -1,
    };
  }
  const d = result.description;
  return {
    transactionalId: d.transactionalId,
    errorCode: '',
    errorMessage: '',
    state: d.state,
    producerId: d.producerId,
    producerEpoch: d.producerEpoch,
    transactionTimeoutMs: d.timeoutMs,
    transactionStartTimeMs: d.txnStartMs,
    partitions: toTopicPartitions(d.partitions),
  };
}

function producerOf(request: { transactionalId: string; producerId: number; producerEpoch: number }) {
  return {
    transactionalId: request.transactionalId,
    producerId: request.producerId,
    producerEpoch: request.producerEpoch,
  };
}

export function createTransactionCoordinatorHandlers(
  coordinator: TransactionCoordinatorPort,
  ports: TxnPorts,
  logger: Logger,
): TransactionCoordinatorHandlers {
  const options = {
    onUnexpectedError: (error: unknown) =>
      logger.error({ err: error }, 'transaction coordinator handler failed'),
  };
  return {
    FindTransactionCoordinator: handleUnary(
      (request: FindTransactionCoordinatorRequest__Output) =>
        answer(() => coordinator.findCoordinator(request.transactionalId)),
      options,
    ),
    InitTransactions: handleUnary(
      (request: InitTransactionsRequest__Output) =>
        answer(() =>
          coordinator.initProducerId({
            transactionalId: request.transactionalId,
            transactionTimeoutMs: request.transactionTimeoutMs,
            producerId: request.producerId,
            producerEpoch: request.producerEpoch,
          }),
        ),
      options,
    ),
    AddPartitionsToTxn: handleUnary(async (request: AddPartitionsToTxnRequest__Output) => {
      const partitions = topicPartitionsOf(request.partitions, 'partitions');
      return perPartition(partitions, () =>
        coordinator.addPartitionsToTxn({ ...producerOf(request), partitions }),
      );
    }, options),
    AddOffsetsToTxn: handleUnary(
      (request: AddOffsetsToTxnRequest__Output) =>
        answer(async () => {
          await coordinator.addOffsetsToTxn({ ...producerOf(request), groupId: request.groupId });
          return {};
        }),
      options,
    ),
    EndTxn: handleUnary(
      (request: EndTxnRequest__Output) =>
        answer(async () => {
          await coordinator.endTxn({ ...producerOf(request), result: request.commit ? 'commit' : 'abort' });
          return {};
        }),
      options,
    ),
    TxnOffsetCommit: handleUnary(async (request: TxnOffsetCommitRequest__Output) => {
      // Answered by the group's coordinator (the group coordinator fills the port).
      const port = ports.txnOffsetCommit;
      if (port === null) {
        throw new TributaryError('COORDINATOR_NOT_AVAILABLE', 'this broker runs no group coordinator');
      }
      return port.txnOffsetCommit(request);
    }, options),
    DescribeTransactions: handleUnary(async (request: DescribeTransactionsRequest__Output) => {
      const ids = request.transactionalIds;
      if (ids.length > TXN_LIMITS.transactionalIdsPerDescribeMax) {
        throw new TributaryError(
          'INVALID_REQUEST',
          `${ids.length} transactional ids; the limit is ${TXN_LIMITS.transactionalIdsPerDescribeMax}`,
        );
      }
      return { transactions: coordinator.describeTransactions(ids).map(description) };
    }, options),
    ListTransactions: handleUnary(
      async (request: ListTransactionsRequest__Output) => ({
        transactions: coordinator.listTransactions({
          states: request.stateFilters,
          producerIds: request.producerIdFilters,
          // KIP-994 on gRPC: 0 = no filter (Kafka's -1).
          durationMs: request.durationFilterMs === 0 ? -1 : request.durationFilterMs,
        }),
      }),
      options,
    ),
  };
}

export function createTransactionMarkersHandlers(
  coordinator: TransactionCoordinatorPort,
  writer: TxnMarkerWriterPort,
  logger: Logger,
): TransactionMarkersHandlers {
  const options = {
    onUnexpectedError: (error: unknown) => logger.error({ err: error }, 'transaction markers handler failed'),
  };
  return {
    WriteTxnMarkers: handleUnary(
      (request: WriteTxnMarkersRequest__Output) => writer.writeTxnMarkers(request),
      options,
    ),
    VerifyTxnPartitions: handleUnary(async (request: VerifyTxnPartitionsRequest__Output) => {
      const partitions = topicPartitionsOf(request.partitions, 'partitions');
      const errors = await coordinator.verifyPartitions({ ...producerOf(request), partitions });
      return { results: results(partitions, errors) };
    }, options),
  };
}
