// Original file: protos/tributary/v1/transactions.proto

import type { TxnOffsetCommitPartition as _tributary_v1_TxnOffsetCommitPartition, TxnOffsetCommitPartition__Output as _tributary_v1_TxnOffsetCommitPartition__Output } from '../../tributary/v1/TxnOffsetCommitPartition.js';

export interface TxnOffsetCommitTopic {
  'name'?: (string);
  'partitions'?: (_tributary_v1_TxnOffsetCommitPartition)[];
}

export interface TxnOffsetCommitTopic__Output {
  'name': (string);
  'partitions': (_tributary_v1_TxnOffsetCommitPartition__Output)[];
}
