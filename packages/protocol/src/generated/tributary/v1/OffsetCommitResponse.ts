// Original file: protos/tributary/v1/group.proto

import type { OffsetCommitPartitionResult as _tributary_v1_OffsetCommitPartitionResult, OffsetCommitPartitionResult__Output as _tributary_v1_OffsetCommitPartitionResult__Output } from '../../tributary/v1/OffsetCommitPartitionResult.js';

export interface OffsetCommitResponse {
  /**
   * Whole-request errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, UNKNOWN_MEMBER_ID,
   * STALE_MEMBER_EPOCH, GROUP_NOT_EMPTY); per-partition ones are in results.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'results'?: (_tributary_v1_OffsetCommitPartitionResult)[];
}

export interface OffsetCommitResponse__Output {
  /**
   * Whole-request errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, UNKNOWN_MEMBER_ID,
   * STALE_MEMBER_EPOCH, GROUP_NOT_EMPTY); per-partition ones are in results.
   */
  'errorCode': (string);
  'errorMessage': (string);
  'results': (_tributary_v1_OffsetCommitPartitionResult__Output)[];
}
