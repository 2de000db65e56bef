// Original file: protos/tributary/v1/replication.proto

import type { DivergingEpoch as _tributary_v1_DivergingEpoch, DivergingEpoch__Output as _tributary_v1_DivergingEpoch__Output } from '../../tributary/v1/DivergingEpoch.js';
import type { Long } from '@grpc/proto-loader';

export interface ReplicaFetchPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'highWatermark'?: (number | string | Long);
  /**
   * The leader's log start offset: the follower moves its own there (capped at its high watermark).
   */
  'logStartOffset'?: (number | string | Long);
  'records'?: (Buffer | Uint8Array | string);
  /**
   * Set when the follower's log diverges: truncate to end_offset (or to its own end of that epoch).
   */
  'divergingEpoch'?: (_tributary_v1_DivergingEpoch | null);
  'leaderEpoch'?: (number);
}

export interface ReplicaFetchPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'highWatermark': (number);
  /**
   * The leader's log start offset: the follower moves its own there (capped at its high watermark).
   */
  'logStartOffset': (number);
  'records': (Buffer);
  /**
   * Set when the follower's log diverges: truncate to end_offset (or to its own end of that epoch).
   */
  'divergingEpoch': (_tributary_v1_DivergingEpoch__Output | null);
  'leaderEpoch': (number);
}
