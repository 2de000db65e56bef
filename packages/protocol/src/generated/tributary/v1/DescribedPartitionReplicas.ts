// Original file: protos/tributary/v1/broker.proto

import type { ReplicaProgress as _tributary_v1_ReplicaProgress, ReplicaProgress__Output as _tributary_v1_ReplicaProgress__Output } from '../../tributary/v1/ReplicaProgress.js';
import type { Long } from '@grpc/proto-loader';

export interface DescribedPartitionReplicas {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * Empty on success; NOT_LEADER or UNKNOWN_TOPIC_OR_PARTITION otherwise.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'leaderEpoch'?: (number);
  'logStartOffset'?: (number | string | Long);
  'logEndOffset'?: (number | string | Long);
  'highWatermark'?: (number | string | Long);
  /**
   * Bytes of the leader's log on disk (all segments).
   */
  'sizeBytes'?: (number | string | Long);
  'replicas'?: (_tributary_v1_ReplicaProgress)[];
}

export interface DescribedPartitionReplicas__Output {
  'topic': (string);
  'partition': (number);
  /**
   * Empty on success; NOT_LEADER or UNKNOWN_TOPIC_OR_PARTITION otherwise.
   */
  'errorCode': (string);
  'errorMessage': (string);
  'leaderEpoch': (number);
  'logStartOffset': (number);
  'logEndOffset': (number);
  'highWatermark': (number);
  /**
   * Bytes of the leader's log on disk (all segments).
   */
  'sizeBytes': (number);
  'replicas': (_tributary_v1_ReplicaProgress__Output)[];
}
