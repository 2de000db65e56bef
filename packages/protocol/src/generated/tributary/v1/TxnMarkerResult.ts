// Original file: protos/tributary/v1/transactions.proto

import type { TxnPartitionResult as _tributary_v1_TxnPartitionResult, TxnPartitionResult__Output as _tributary_v1_TxnPartitionResult__Output } from '../../tributary/v1/TxnPartitionResult.js';
import type { Long } from '@grpc/proto-loader';

export interface TxnMarkerResult {
  'producerId'?: (number | string | Long);
  'results'?: (_tributary_v1_TxnPartitionResult)[];
}

export interface TxnMarkerResult__Output {
  'producerId': (number);
  'results': (_tributary_v1_TxnPartitionResult__Output)[];
}
