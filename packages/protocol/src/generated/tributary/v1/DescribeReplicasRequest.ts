// Original file: protos/tributary/v1/broker.proto

import type { TopicPartitionRef as _tributary_v1_TopicPartitionRef, TopicPartitionRef__Output as _tributary_v1_TopicPartitionRef__Output } from '../../tributary/v1/TopicPartitionRef.js';

export interface DescribeReplicasRequest {
  /**
   * Empty: every partition this broker leads.
   */
  'partitions'?: (_tributary_v1_TopicPartitionRef)[];
}

export interface DescribeReplicasRequest__Output {
  /**
   * Empty: every partition this broker leads.
   */
  'partitions': (_tributary_v1_TopicPartitionRef__Output)[];
}
