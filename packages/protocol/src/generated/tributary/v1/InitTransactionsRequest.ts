// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface InitTransactionsRequest {
  'transactionalId'?: (string);
  /**
   * Kafka's transaction.timeout.ms: an open transaction older than this is aborted by the coordinator.
   */
  'transactionTimeoutMs'?: (number);
  /**
   * KIP-360: the id and epoch the producer has (resuming after INVALID_PRODUCER_EPOCH); -1 for a new one.
   */
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
}

export interface InitTransactionsRequest__Output {
  'transactionalId': (string);
  /**
   * Kafka's transaction.timeout.ms: an open transaction older than this is aborted by the coordinator.
   */
  'transactionTimeoutMs': (number);
  /**
   * KIP-360: the id and epoch the producer has (resuming after INVALID_PRODUCER_EPOCH); -1 for a new one.
   */
  'producerId': (number);
  'producerEpoch': (number);
}
