// Original file: protos/tributary/v1/controller.proto

import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from '../../tributary/v1/PartitionInfo.js';

export interface ReassignmentResult {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * Empty on success; otherwise a code from the shared table (INVALID_REPLICA_ASSIGNMENT,
   * UNKNOWN_TOPIC_OR_PARTITION, NO_REASSIGNMENT_IN_PROGRESS, ...).
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The partition as it is once this request's records apply.
   */
  'partitionInfo'?: (_tributary_v1_PartitionInfo | null);
}

export interface ReassignmentResult__Output {
  'topic': (string);
  'partition': (number);
  /**
   * Empty on success; otherwise a code from the shared table (INVALID_REPLICA_ASSIGNMENT,
   * UNKNOWN_TOPIC_OR_PARTITION, NO_REASSIGNMENT_IN_PROGRESS, ...).
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The partition as it is once this request's records apply.
   */
  'partitionInfo': (_tributary_v1_PartitionInfo__Output | null);
}
