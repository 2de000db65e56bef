// Original file: protos/tributary/v1/transactions.proto

import type { TxnPartitionResult as _tributary_v1_TxnPartitionResult, TxnPartitionResult__Output as _tributary_v1_TxnPartitionResult__Output } from '../../tributary/v1/TxnPartitionResult.js';

export interface AddPartitionsToTxnResponse {
  /**
   * One per requested partition: all succeed or none is added.
   */
  'results'?: (_tributary_v1_TxnPartitionResult)[];
}

export interface AddPartitionsToTxnResponse__Output {
  /**
   * One per requested partition: all succeed or none is added.
   */
  'results': (_tributary_v1_TxnPartitionResult__Output)[];
}
