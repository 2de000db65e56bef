// Original file: protos/tributary/v1/transactions.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';
import type { Long } from '@grpc/proto-loader';

export interface TransactionDescription {
  'transactionalId'?: (string);
  /**
   * NOT_COORDINATOR when another broker coordinates it, TRANSACTIONAL_ID_NOT_FOUND when unknown.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * Kafka's names: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort,
   * PrepareEpochFence, Dead.
   */
  'state'?: (string);
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  'transactionTimeoutMs'?: (number);
  /**
   * Wall-clock ms when the open transaction started; -1 when none is open.
   */
  'transactionStartTimeMs'?: (number | string | Long);
  'partitions'?: (_tributary_v1_TopicPartitions)[];
}

export interface TransactionDescription__Output {
  'transactionalId': (string);
  /**
   * NOT_COORDINATOR when another broker coordinates it, TRANSACTIONAL_ID_NOT_FOUND when unknown.
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * Kafka's names: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort,
   * PrepareEpochFence, Dead.
   */
  'state': (string);
  'producerId': (number);
  'producerEpoch': (number);
  'transactionTimeoutMs': (number);
  /**
   * Wall-clock ms when the open transaction started; -1 when none is open.
   */
  'transactionStartTimeMs': (number);
  'partitions': (_tributary_v1_TopicPartitions__Output)[];
}
