// Original file: protos/tributary/v1/transactions.proto

import type { TxnPartitionResult as _tributary_v1_TxnPartitionResult, TxnPartitionResult__Output as _tributary_v1_TxnPartitionResult__Output } from '../../tributary/v1/TxnPartitionResult.js';

export interface TxnOffsetCommitResponse {
  'results'?: (_tributary_v1_TxnPartitionResult)[];
}

export interface TxnOffsetCommitResponse__Output {
  'results': (_tributary_v1_TxnPartitionResult__Output)[];
}
