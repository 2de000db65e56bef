// Original file: protos/tributary/v1/controller.proto

import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from '../../tributary/v1/PartitionInfo.js';

export interface AlterPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * Empty on success; otherwise a code from the shared table (STALE_PARTITION_EPOCH, FENCED_LEADER_EPOCH,
   * NOT_LEADER, UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST).
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The partition as committed (on success) or as the controller knows it (on error).
   */
  'partitionInfo'?: (_tributary_v1_PartitionInfo | null);
}

export interface AlterPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  /**
   * Empty on success; otherwise a code from the shared table (STALE_PARTITION_EPOCH, FENCED_LEADER_EPOCH,
   * NOT_LEADER, UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST).
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The partition as committed (on success) or as the controller knows it (on error).
   */
  'partitionInfo': (_tributary_v1_PartitionInfo__Output | null);
}
