// Original file: protos/tributary/v1/transactions.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';
import type { Long } from '@grpc/proto-loader';

export interface TxnMarker {
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  /**
   * true = COMMIT, false = ABORT.
   */
  'commit'?: (boolean);
  'partitions'?: (_tributary_v1_TopicPartitions)[];
  /**
   * The coordinator's epoch (its __transaction_state partition's leader epoch): a leader refuses a marker
   * from an older coordinator than the last one it saw for the producer (TRANSACTION_COORDINATOR_FENCED).
   */
  'coordinatorEpoch'?: (number);
}

export interface TxnMarker__Output {
  'producerId': (number);
  'producerEpoch': (number);
  /**
   * true = COMMIT, false = ABORT.
   */
  'commit': (boolean);
  'partitions': (_tributary_v1_TopicPartitions__Output)[];
  /**
   * The coordinator's epoch (its __transaction_state partition's leader epoch): a leader refuses a marker
   * from an older coordinator than the last one it saw for the producer (TRANSACTION_COORDINATOR_FENCED).
   */
  'coordinatorEpoch': (number);
}
