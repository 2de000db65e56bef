// Original file: protos/tributary/v1/transactions.proto

import type { TxnPartitionResult as _tributary_v1_TxnPartitionResult, TxnPartitionResult__Output as _tributary_v1_TxnPartitionResult__Output } from '../../tributary/v1/TxnPartitionResult.js';

export interface VerifyTxnPartitionsResponse {
  /**
   * Per partition: empty when it is in the ongoing transaction, INVALID_TXN_STATE when not, or the
   * coordinator's error (NOT_COORDINATOR, PRODUCER_FENCED, ...).
   */
  'results'?: (_tributary_v1_TxnPartitionResult)[];
}

export interface VerifyTxnPartitionsResponse__Output {
  /**
   * Per partition: empty when it is in the ongoing transaction, INVALID_TXN_STATE when not, or the
   * coordinator's error (NOT_COORDINATOR, PRODUCER_FENCED, ...).
   */
  'results': (_tributary_v1_TxnPartitionResult__Output)[];
}
