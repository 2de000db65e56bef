// Original file: protos/tributary/v1/group.proto

import type { Long } from '@grpc/proto-loader';

export interface OffsetCommitPartition {
  'partition'?: (number);
  /**
   * The next offset to consume (as Kafka: last processed + 1).
   */
  'offset'?: (number | string | Long);
  /**
   * -1 when unknown.
   */
  'leaderEpoch'?: (number);
  'metadata'?: (string);
}

export interface OffsetCommitPartition__Output {
  'partition': (number);
  /**
   * The next offset to consume (as Kafka: last processed + 1).
   */
  'offset': (number);
  /**
   * -1 when unknown.
   */
  'leaderEpoch': (number);
  'metadata': (string);
}
