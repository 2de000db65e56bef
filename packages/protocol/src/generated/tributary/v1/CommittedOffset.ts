// Original file: protos/tributary/v1/group.proto

import type { Long } from '@grpc/proto-loader';

export interface CommittedOffset {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * -1 when the group has committed nothing for the partition.
   */
  'offset'?: (number | string | Long);
  'leaderEpoch'?: (number);
  'metadata'?: (string);
  'commitTimestampMs'?: (number | string | Long);
}

export interface CommittedOffset__Output {
  'topic': (string);
  'partition': (number);
  /**
   * -1 when the group has committed nothing for the partition.
   */
  'offset': (number);
  'leaderEpoch': (number);
  'metadata': (string);
  'commitTimestampMs': (number);
}
