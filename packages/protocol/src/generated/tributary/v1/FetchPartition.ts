// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface FetchPartition {
  'partition'?: (number);
  'fetchOffset'?: (number | string | Long);
  'partitionMaxBytes'?: (number);
  /**
   * -1 = not checked; otherwise the leader epoch the client believes is current (fencing).
   */
  'currentLeaderEpoch'?: (number);
}

export interface FetchPartition__Output {
  'partition': (number);
  'fetchOffset': (number);
  'partitionMaxBytes': (number);
  /**
   * -1 = not checked; otherwise the leader epoch the client believes is current (fencing).
   */
  'currentLeaderEpoch': (number);
}
