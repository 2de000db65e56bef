// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface TxnOffsetCommitPartition {
  'partition'?: (number);
  'offset'?: (number | string | Long);
  /**
   * -1 when unknown.
   */
  'leaderEpoch'?: (number);
  'metadata'?: (string);
}

export interface TxnOffsetCommitPartition__Output {
  'partition': (number);
  'offset': (number);
  /**
   * -1 when unknown.
   */
  'leaderEpoch': (number);
  'metadata': (string);
}
