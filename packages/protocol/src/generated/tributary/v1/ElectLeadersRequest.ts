// Original file: protos/tributary/v1/controller.proto

import type { TopicPartitionRef as _tributary_v1_TopicPartitionRef, TopicPartitionRef__Output as _tributary_v1_TopicPartitionRef__Output } from '../../tributary/v1/TopicPartitionRef.js';

export interface ElectLeadersRequest {
  /**
   * Empty: every partition.
   */
  'partitions'?: (_tributary_v1_TopicPartitionRef)[];
}

export interface ElectLeadersRequest__Output {
  /**
   * Empty: every partition.
   */
  'partitions': (_tributary_v1_TopicPartitionRef__Output)[];
}
