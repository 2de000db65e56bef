// Original file: protos/tributary/v1/transactions.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';
import type { Long } from '@grpc/proto-loader';

export interface VerifyTxnPartitionsRequest {
  'transactionalId'?: (string);
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  'partitions'?: (_tributary_v1_TopicPartitions)[];
}

export interface VerifyTxnPartitionsRequest__Output {
  'transactionalId': (string);
  'producerId': (number);
  'producerEpoch': (number);
  'partitions': (_tributary_v1_TopicPartitions__Output)[];
}
