// Original file: protos/tributary/v1/controller.proto

import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from '../../tributary/v1/PartitionInfo.js';

export interface OngoingReassignment {
  'topic'?: (string);
  /**
   * The partition; its replicas are the union of old and target, with adding/removing set.
   */
  'partition'?: (_tributary_v1_PartitionInfo | null);
}

export interface OngoingReassignment__Output {
  'topic': (string);
  /**
   * The partition; its replicas are the union of old and target, with adding/removing set.
   */
  'partition': (_tributary_v1_PartitionInfo__Output | null);
}
